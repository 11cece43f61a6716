package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.pipeline.IngestSummary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, Must show 5, crash-safe: a damaged index is refused by ingest, then rebuilt by an ingest in a separate
 * JVM that is SIGKILLed part-way. What the kill leaves is an intact index, and a plain re-run completes it to
 * exactly the index an uninterrupted ingest makes (same chunk ids per document, same count).
 */
class RebuildCrashTest {

    private static final int DOCUMENTS = 12;

    @TempDir
    Path dir;

    @Test
    void aRebuildKilledPartWayIsCompletedByTheNextRunToTheUninterruptedIndex() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        try (Stream<Path> files = Files.list(Path.of("../data/sotu"))) {
            for (Path f : files.sorted().limit(DOCUMENTS).toList()) {
                Files.copy(f, corpus.resolve(f.getFileName()));
            }
        }
        Path reference = dir.resolve("reference");
        IngestSummary uninterrupted = RebuildCrashMain.ingest(reference, corpus, false, false);
        Map<String, TreeSet<String>> expected = snapshot(reference);

        Path damaged = dir.resolve("damaged");
        RebuildCrashMain.ingest(damaged, corpus, false, false);
        Path segment;
        try (Stream<Path> files = Files.list(damaged)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".cfs"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 3] ^= 0x04;
        Files.write(segment, bytes);
        assertThatThrownBy(() -> RebuildCrashMain.ingest(damaged, corpus, false, false))
                .isInstanceOf(IndexCorruptException.class).hasMessageContaining(segment.getFileName().toString());

        String outcome = runAndKill(damaged, corpus, DOCUMENTS / 2);
        assertThat(outcome).isEqualTo("killed");
        assertThat(ParallelRag.verify(damaged).intact()).as("what the kill left").isTrue();

        IngestSummary resumed = RebuildCrashMain.ingest(damaged, corpus, false, false);
        assertThat(resumed.allSucceeded()).isTrue();
        assertThat(snapshot(damaged)).isEqualTo(expected);
        try (LuceneVectorStore store = LuceneVectorStore.open(damaged)) {
            assertThat(store.count()).isEqualTo(uninterrupted.chunksAdded());
        }
    }

    /** Starts the child rebuild and SIGKILLs it once {@code killAfter} documents are written. */
    private static String runAndKill(Path index, Path corpus, int killAfter) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RebuildCrashMain.class.getName(), index.toString(), corpus.toString(), "true")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("written " + killAfter)) {
                    child.destroyForcibly(); // SIGKILL on Linux: no close, no final commit
                    child.waitFor(30, TimeUnit.SECONDS);
                    return "killed";
                }
                if (line.startsWith("done")) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return "finished before the kill point";
    }

    private static Map<String, TreeSet<String>> snapshot(Path index) {
        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            Map<String, TreeSet<String>> ids = new TreeMap<>();
            for (String doc : store.documentIds()) {
                ids.put(Path.of(doc).getFileName().toString(), new TreeSet<>(store.chunkIds(doc)));
            }
            return ids;
        }
    }
}
