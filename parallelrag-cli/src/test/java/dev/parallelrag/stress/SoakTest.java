package dev.parallelrag.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, the bounded soak: mixed ingest, search and complete in a JVM of their own ({@link SoakRun}), sampled
 * every 5 s. It fails if the heap after a full collection grows by more than 10 % over the second half of the
 * run, if the threads or file descriptors keep growing (more than 10 % and more than a few), if any work failed
 * or gave a wrong answer, or if a kind of work stopped making progress. 60 s by default (CI); longer with
 * {@code -Dparallelrag.soak.duration=PT10M} or {@code PARALLELRAG_SOAK_DURATION=PT10M}. The samples go to
 * {@code target/soak/soak-samples.csv}, the figures to {@code target/soak/soak-report.txt} and stdout.
 */
class SoakTest {

    static final String DURATION_PROPERTY = "parallelrag.soak.duration";
    static final String DURATION_ENV = "PARALLELRAG_SOAK_DURATION";
    private static final Duration CI_DURATION = Duration.ofSeconds(60);
    private static final double MAX_HEAP_GROWTH_PERCENT = 10;
    /** Threads and descriptors come and go with merges and batches: growth below these counts is not a leak. */
    private static final int THREAD_SLACK = 4;
    private static final int FD_SLACK = 12;

    @Test
    void heapThreadsAndFileDescriptorsStayFlatUnderMixedIngestSearchAndComplete() throws Exception {
        Duration duration = duration();
        Path out = Files.createDirectories(Path.of("target", "soak"));
        Files.deleteIfExists(out.resolve(SoakRun.SAMPLES_FILE));
        Path log = out.resolve("soak-run.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), SoakRun.class.getName(), duration.toString(),
                out.toString());
        Process soak = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = soak.waitFor(duration.plusMinutes(3).toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            soak.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("the soak ended within 3 minutes of its duration; its output:%n%s", output).isTrue();

        SoakFigures figures = SoakFigures.of(samples(out.resolve(SoakRun.SAMPLES_FILE)));
        String report = "Soak " + duration + " (java -Xmx512m -XX:+UseG1GC " + SoakRun.class.getName() + ")\n"
                + figures.report() + lastLine(output);
        Files.writeString(out.resolve("soak-report.txt"), report);
        System.out.println(report);

        assertThat(soak.exitValue()).as(output).isZero();
        SoakSample last = figures.samples().get(figures.samples().size() - 1);
        assertThat(last.errors()).as("failed or wrong work; the soak's output:%n%s", output).isZero();
        assertThat(last.seconds()).isGreaterThanOrEqualTo(duration.toSeconds());
        List<SoakSample> half = figures.secondHalf();
        SoakSample halfStart = half.get(0);
        assertThat(last.ingests()).as("ingest rounds in the second half").isGreaterThan(halfStart.ingests());
        assertThat(last.searches()).as("searches in the second half").isGreaterThan(halfStart.searches());
        assertThat(last.completions()).as("completions in the second half").isGreaterThan(halfStart.completions());

        assertThat(figures.measure("heap after GC").growthPercent()).as(report).isLessThanOrEqualTo(MAX_HEAP_GROWTH_PERCENT);
        assertBounded(figures.measure("live threads"), THREAD_SLACK, report);
        assertBounded(figures.measure("open file descriptors"), FD_SLACK, report);
    }

    private static void assertBounded(SoakFigures.Measure m, int slack, String report) {
        assertThat(m.growthPercent() <= 10 || m.growth() <= slack)
                .as("%s grew from %.0f to %.0f over the second half (more than 10 %% and more than %d)%n%s", m.name(),
                        m.halfStart(), m.halfEnd(), slack, report)
                .isTrue();
    }

    /** The soak's duration: the system property, else the environment variable, else 60 s. */
    static Duration duration() {
        String value = System.getProperty(DURATION_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(DURATION_ENV);
        }
        Duration d = value == null || value.isBlank() ? CI_DURATION : Duration.parse(value.strip());
        if (d.compareTo(Duration.ofSeconds(30)) < 0) {
            throw new IllegalArgumentException(DURATION_PROPERTY + " must be at least PT30S (6 samples), got " + value);
        }
        return d;
    }

    private static List<SoakSample> samples(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo(SoakSample.CSV_HEADER);
        return lines.subList(1, lines.size()).stream().map(SoakSample::parse).toList();
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "" : String.join("\n", lines.stream().filter(l -> l.startsWith("soak ")).toList()) + "\n";
    }
}
