package dev.parallelrag.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's {@code promtool} (Debian's {@code prometheus} package, which {@code .ci/run} installs): checks a scrape,
 * and evaluates the alerting rules over input series built from two scrapes with {@code promtool test rules}.
 */
public final class Promtool {

    /** The rules file the project ships, from the module directory the tests run in. */
    static final Path RULES = Path.of("..", "docs", "alerts", "parallelrag-rules.yml").toAbsolutePath().normalize();
    /** Metric families the rules read; only these go into the input series. */
    private static final List<String> RULE_INPUTS = List.of("gen_ai_", "resilience4j_circuitbreaker_", "http_server_requests",
            "parallelrag_ingest_");
    /** The minutes of input series: long enough for the longest {@code for:} (5m) over a 5m window. */
    private static final int MINUTES = 15;
    static final String EVAL_TIME = "10m";

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /**
     * The promtool on the PATH. Without one the test is skipped, saying so, except in CI ({@code CI} set), where
     * {@code .ci/run} installs it and its absence is a failure.
     */
    public static Promtool require() {
        Optional<Path> found = onPath();
        if (found.isEmpty()) {
            String reason = "promtool is not installed (Debian: apt-get install prometheus; .ci/run installs it)";
            if (System.getenv("CI") != null) {
                fail(reason + ", and CI must run this test");
            }
            Assumptions.abort(reason);
        }
        return new Promtool(found.get());
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** What a promtool run printed, and its exit code. */
    record Result(int exitCode, String output) {
    }

    Result run(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output;
            try (InputStream out = p.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("promtool " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while promtool ran", e);
        }
    }

    /** {@code promtool check metrics} on a scrape: exit 0 and no lint problem. */
    public void checkMetrics(String scrape) {
        Result r = run(scrape, "check", "metrics");
        assertThat(r.exitCode()).as("promtool check metrics said:%n%s", r.output()).isZero();
    }

    /**
     * Evaluates the shipped rules at {@value #EVAL_TIME} over {@value #MINUTES} minutes of input in which, every
     * minute, each counter grows as much as it grew from {@code before} to {@code after} and each gauge stays as
     * {@code after} shows it: the traffic between the two scrapes goes on at the same pace. Fails unless
     * {@code expr} then yields exactly {@code expected} (series as {@code name{labels}}, each with value 1).
     */
    void assertRulesYield(Path dir, PrometheusText before, PrometheusText after, String expr, List<String> expected)
            throws IOException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("rule_files:\n  - ").append(quote(RULES.toString())).append('\n');
        yaml.append("evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n");
        Map<String, PrometheusText.Sample> earlier = before.bySeries();
        for (PrometheusText.Sample s : after.samples()) {
            if (RULE_INPUTS.stream().noneMatch(s.name()::startsWith) || !Double.isFinite(s.value())) {
                continue;
            }
            String values;
            if (after.cumulative(s)) {
                PrometheusText.Sample was = earlier.get(s.series());
                double start = was == null ? 0 : was.value();
                values = number(start) + "+" + number(s.value() - start) + "x" + MINUTES;
            } else {
                values = number(s.value()) + "+0x" + MINUTES;
            }
            yaml.append("      - series: ").append(quote(s.series())).append("\n        values: ")
                    .append(quote(values)).append('\n');
        }
        yaml.append("    promql_expr_test:\n      - expr: ").append(quote(expr)).append("\n        eval_time: ")
                .append(EVAL_TIME).append("\n        exp_samples:");
        if (expected.isEmpty()) {
            yaml.append(" []\n");
        } else {
            yaml.append('\n');
            for (String series : expected) {
                yaml.append("          - labels: ").append(quote(series)).append("\n            value: 1\n");
            }
        }
        Path test = Files.writeString(dir.resolve("alerts-test.yml"), yaml.toString());
        Result r = run(null, "test", "rules", test.toString());
        assertThat(r.exitCode()).as("promtool test rules %s said:%n%s", test, r.output()).isZero();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A YAML single-quoted scalar. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
