package dev.parallelrag.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What the pgvector benchmarks print alike: the load average, and a median with its range. */
final class Bench {

    private Bench() {
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code median [min, max] (n values: v1 v2 ...)}, each value in {@code format}. */
    static String spread(List<Double> values, String format) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        StringBuilder all = new StringBuilder();
        for (double v : values) {
            all.append(' ').append(String.format(Locale.ROOT, format, v));
        }
        return String.format(Locale.ROOT, format + " [" + format + ", " + format + "] (%d:%s)", median(sorted),
                sorted[0], sorted[sorted.length - 1], sorted.length, all);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The value at quantile {@code q} (0..1) of sorted values, nearest rank. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
