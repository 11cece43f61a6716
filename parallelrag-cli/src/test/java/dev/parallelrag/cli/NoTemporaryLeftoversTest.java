package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 6: {@code ingest} with the local model leaves no {@code onnxruntime*} entry in the temporary
 * directory, whether it ends normally, is killed with SIGKILL while it embeds, or crashes (a SIGSEGV sent to the
 * JVM: a real crash, with its hs_err report and exit 134). Each child gets a fresh {@code java.io.tmpdir}.
 */
class NoTemporaryLeftoversTest {

    @TempDir
    Path dir;

    @Test
    void aNormalRunLeavesNothing() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path corpus = Corpora.sotu(dir.resolve("corpus"), 3, 3000);

        CliProcess run = CliProcess.run(dir, Map.of(), List.of("-Djava.io.tmpdir=" + tmp), "ingest", corpus.toString(),
                "--index", dir.resolve("idx").toString(), "--quiet");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(onnxRuntimeEntries(tmp)).isEmpty();
    }

    @Test
    void aRunKilledWhileItEmbedsLeavesNothing() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process child = startAndWaitForInference(tmp);

        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).isEqualTo(128 + 9);
        assertThat(onnxRuntimeEntries(tmp)).isEmpty();
    }

    @Test
    void aCrashedRunLeavesNothing() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process child = startAndWaitForInference(tmp);

        Process kill = new ProcessBuilder("kill", "-SEGV", Long.toString(child.pid())).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as("the JVM crashed (SIGABRT after its crash report)").isEqualTo(128 + 6);
        assertThat(dir.resolve("crash.log")).as("the JVM's crash report").exists();
        assertThat(onnxRuntimeEntries(tmp)).isEmpty();
    }

    /** Starts an ingest long enough to be embedding when this returns (ONNX Runtime loaded, work under way). */
    private Process startAndWaitForInference(Path tmp) throws IOException, InterruptedException {
        Path maps = Path.of("/proc/self/maps");
        assumeThat(maps).as("the child's loaded libraries are read from /proc (Linux)").exists();
        Path corpus = Corpora.sotu(dir.resolve("corpus"), 40, 8000);
        ProcessBuilder pb = CliProcess.builder(dir, Map.of(), List.of("-Djava.io.tmpdir=" + tmp,
                "-XX:ErrorFile=" + dir.resolve("crash.log")), "ingest", corpus.toString(), "--index",
                dir.resolve("idx").toString(), "--quiet");
        Process child = pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        Path childMaps = Path.of("/proc", Long.toString(child.pid()), "maps");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(childMaps).contains(System.mapLibraryName("onnxruntime"))) {
            assertThat(child.isAlive()).as("the ingest ended before it loaded ONNX Runtime: %s",
                    Files.readString(dir.resolve("err.txt"))).isTrue();
            assertThat(System.nanoTime()).as("ONNX Runtime loaded within 120 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(2000); // the model loads and the first batches run
        assertThat(child.isAlive()).as("still ingesting when it is stopped").isTrue();
        return child;
    }

    private static List<String> onnxRuntimeEntries(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("onnxruntime")).toList();
        }
    }
}
