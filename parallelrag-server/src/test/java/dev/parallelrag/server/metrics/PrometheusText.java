package dev.parallelrag.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape in the Prometheus text format, read back into samples: each series as written
 * ({@code name{labels}}), its value, and the type its {@code # TYPE} line gave its family.
 */
public record PrometheusText(List<Sample> samples, Map<String, String> types) {

    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_created", "_total");

    /** One line of the scrape: {@code series} is the name with its labels, as Prometheus selects it. */
    public record Sample(String name, String series, double value) {
        /** The value of label {@code key}, or null. */
        public String label(String key) {
            Matcher m = Pattern.compile("[{,]" + Pattern.quote(key) + "=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(series);
            return m.find() ? m.group(1) : null;
        }
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher m = TYPE.matcher(line);
                if (m.matches()) {
                    types.put(m.group(1), m.group(2));
                }
                continue;
            }
            int space = line.lastIndexOf(' '); // a value has no space, a label value may
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            samples.add(new Sample(name, series, parseValue(line.substring(space + 1))));
        }
        return new PrometheusText(List.copyOf(samples), Map.copyOf(types));
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    /** The type of the family a sample belongs to ({@code counter}, {@code gauge}, {@code histogram}...), or null. */
    public String typeOf(Sample s) {
        String exact = types.get(s.name());
        if (exact != null) {
            return exact;
        }
        for (String suffix : SUFFIXES) {
            if (s.name().endsWith(suffix)) {
                String family = types.get(s.name().substring(0, s.name().length() - suffix.length()));
                if (family != null) {
                    return family;
                }
            }
        }
        return null;
    }

    /** True for a sample that only grows: a counter, or a histogram's or summary's bucket, count or sum. */
    boolean cumulative(Sample s) {
        String type = typeOf(s);
        return "counter".equals(type) || "histogram".equals(type) || ("summary".equals(type) && s.label("quantile") == null);
    }

    /** The samples by series, in scrape order. */
    public Map<String, Sample> bySeries() {
        Map<String, Sample> out = new LinkedHashMap<>();
        samples.forEach(s -> out.put(s.series(), s));
        return out;
    }

    /** The samples of the metric {@code name} (a histogram's {@code _bucket} lines, say), in scrape order. */
    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
