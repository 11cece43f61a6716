package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.pipeline.IngestSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
        Map<String, TreeSet<String>> expected = CrashHarness.snapshot(reference);

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

        String outcome = CrashHarness.runAndKill(RebuildCrashMain.class, List.of(damaged.toString(), corpus.toString(), "true"),
                DOCUMENTS / 2, 0);
        assertThat(outcome).isEqualTo("killed");
        assertThat(ParallelRag.verify(damaged).intact()).as("what the kill left").isTrue();

        IngestSummary resumed = RebuildCrashMain.ingest(damaged, corpus, false, false);
        assertThat(resumed.allSucceeded()).isTrue();
        assertThat(CrashHarness.snapshot(damaged)).isEqualTo(expected);
        try (LuceneVectorStore store = LuceneVectorStore.open(damaged)) {
            assertThat(store.count()).isEqualTo(uninterrupted.chunksAdded());
        }
    }
}
