package dev.parallelrag.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What the soak's samples say: per measure the minimum, median and maximum over the run, and its growth over the
 * second half, judged robustly: the median of the first few samples of the second half against the median of the
 * last few (a fifth of the half, at least 3), so one sample caught mid-merge or mid-batch moves nothing.
 */
record SoakFigures(List<SoakSample> samples, List<Measure> measures) {

    /** One measure: its spread over the run and over the second half. */
    record Measure(String name, String unit, double min, double median, double max, double halfStart, double halfEnd) {

        /** Growth over the second half, in per cent of its start. */
        double growthPercent() {
            return halfStart == 0 ? 0 : (halfEnd - halfStart) / halfStart * 100;
        }

        double growth() {
            return halfEnd - halfStart;
        }

        String line() {
            return String.format(Locale.ROOT, "%-22s min %12s  median %12s  max %12s | second half %12s -> %12s (%+.1f %%)",
                    name, fmt(min), fmt(median), fmt(max), fmt(halfStart), fmt(halfEnd), growthPercent());
        }

        private String fmt(double v) {
            return unit.isEmpty() ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f %s", v, unit);
        }
    }

    static SoakFigures of(List<SoakSample> samples) {
        if (samples.size() < 6) {
            throw new IllegalArgumentException("the soak needs at least 6 samples to judge its second half, got " + samples.size());
        }
        List<Measure> measures = List.of(
                measure(samples, "heap after GC", "MB", s -> s.heapAfterGc() / 1e6),
                measure(samples, "RSS", "MB", s -> s.rssKb() / 1024.0),
                measure(samples, "live threads", "", SoakSample::threads),
                measure(samples, "open file descriptors", "", SoakSample::fds));
        return new SoakFigures(List.copyOf(samples), measures);
    }

    Measure measure(String name) {
        return measures.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measure " + name));
    }

    /** The samples of the second half of the run. */
    List<SoakSample> secondHalf() {
        return samples.subList(samples.size() / 2, samples.size());
    }

    private static Measure measure(List<SoakSample> all, String name, String unit, ToDoubleFunction<SoakSample> value) {
        List<Double> values = all.stream().map(value::applyAsDouble).toList();
        List<Double> half = values.subList(values.size() / 2, values.size());
        int window = Math.max(3, half.size() / 5);
        return new Measure(name, unit, values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), median(values),
                values.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                median(half.subList(0, window)), median(half.subList(half.size() - window, half.size())));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The figures as the test report prints them. */
    String report() {
        SoakSample first = samples.get(0);
        SoakSample last = samples.get(samples.size() - 1);
        StringBuilder r = new StringBuilder();
        r.append(String.format(Locale.ROOT, "samples: %d over %.0f s (every %d s); second half from %.0f s%n", samples.size(),
                last.seconds(), SoakRun.SAMPLE_EVERY.toSeconds(), secondHalf().get(0).seconds()));
        measures.forEach(m -> r.append(m.line()).append('\n'));
        double seconds = last.seconds() - first.seconds();
        r.append(String.format(Locale.ROOT, "work: %d ingest rounds, %d searches (%.1f/s), %d completions (%.1f/s), %d errors%n",
                last.ingests(), last.searches(), last.searches() / seconds, last.completions(), last.completions() / seconds,
                last.errors()));
        return r.toString();
    }
}
