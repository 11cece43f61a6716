package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 1, as a user meets it: {@code parallelrag ingest} into an index on a 5 MB tmpfs that fills up. The run
 * ends with exit 1, one line on stderr naming the cause and the index, nothing on stdout and no JVM crash report;
 * after space is freed a re-run gives the index an uninterrupted run gives. A tmpfs needs mount rights (root with
 * CAP_SYS_ADMIN, as here and in CI); without them the test is skipped, and {@code DiskFullIngestTest} of
 * parallelrag-lucene, which needs no mount, still runs.
 */
class DiskFullIngestCliTest {

    private static final long FREE_BYTES = 160 * 1024; // the ingest below needs several times that

    @TempDir
    Path dir;

    @Test
    void aFullDiskEndsTheIngestWithOneLineAndARerunCompletesTheIndex() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        String refused = mount(disk);
        assumeThat(refused).as("mounting a 5 MB tmpfs is not permitted here: %s", refused).isEmpty();
        try {
            Path corpus = Corpora.sotu(dir.resolve("corpus"), 12, 6000);
            Path reference = dir.resolve("reference");
            CliProcess uninterrupted = ingest(corpus, reference);
            assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();

            Path ballast = fillLeaving(disk, FREE_BYTES);
            Path index = disk.resolve("idx");
            CliProcess full = ingest(corpus, index);

            assertThat(full.exitCode()).as(full.err()).isEqualTo(CliErrors.FAILURE);
            assertThat(full.out()).isEmpty();
            assertThat(full.err().lines().toList()).singleElement().asString()
                    .startsWith("parallelrag ingest: No space left on device while writing " + index);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
            }

            Files.delete(ballast);
            CliProcess rerun = ingest(corpus, index);
            assertThat(rerun.exitCode()).as(rerun.err()).isZero();
            assertThat(IndexContents.of(index)).isEqualTo(IndexContents.of(reference));
        } finally {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private CliProcess ingest(Path corpus, Path index) throws IOException, InterruptedException {
        return CliProcess.run(dir, Map.of(), "ingest", corpus.toString(), "--index", index.toString(), "--quiet");
    }

    /** Mounts a 5 MB tmpfs on {@code disk}; returns why it could not, or "" when it did. */
    private static String mount(Path disk) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", disk.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "mount did not finish in 30 s";
            }
            return p.exitValue() == 0 ? "" : "mount exited " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return "no mount command: " + e.getMessage();
        }
    }

    /** Writes a file that leaves about {@code free} bytes of the disk unused. */
    private static Path fillLeaving(Path disk, long free) throws IOException {
        Path ballast = disk.resolve("ballast");
        long size = Files.getFileStore(disk).getUsableSpace() - free;
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            for (long written = 0; written < size; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return ballast;
    }
}
