package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.pipeline.IngestSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 4: an ingest in a separate JVM is killed with SIGKILL ({@code Process.destroyForcibly()} on
 * Linux) at a random point, then run again: the index is identical to an uninterrupted run's (same chunk
 * ids per document, same count), and a further full re-run adds 0 chunks. The kill point is a random
 * number of documents written plus a random delay, so it lands before, during and between commits across
 * runs; the seed is printed in failure messages for reproduction.
 */
class IngestCrashTest {

    private static final int DOCUMENTS = 12;

    @TempDir
    Path dir;

    @Test
    void killedIngestResumesToTheIndexAnUninterruptedRunMakes() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        try (Stream<Path> files = Files.list(Path.of("../data/sotu"))) {
            for (Path f : files.sorted().limit(DOCUMENTS).toList()) {
                Files.copy(f, corpus.resolve(f.getFileName()));
            }
        }
        Path reference = dir.resolve("reference");
        IngestSummary uninterrupted = IngestCrashMain.ingest(reference, corpus, false);
        Map<String, TreeSet<String>> expected = CrashHarness.snapshot(reference);
        assertThat(uninterrupted.chunksAdded()).isPositive();

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path crashed = dir.resolve("crashed");
        for (int attempt = 0; attempt < 2; attempt++) {
            int killAfter = 1 + random.nextInt(DOCUMENTS - 2);
            long extraDelayMillis = random.nextInt(40);
            String outcome = CrashHarness.runAndKill(IngestCrashMain.class, List.of(crashed.toString(), corpus.toString()),
                    killAfter, extraDelayMillis);
            System.out.printf("crash test seed %d attempt %d: kill after %d documents + %d ms -> %s%n",
                    seed, attempt, killAfter, extraDelayMillis, outcome);
        }

        IngestSummary resumed = IngestCrashMain.ingest(crashed, corpus, false);
        assertThat(resumed.allSucceeded()).isTrue();
        assertThat(CrashHarness.snapshot(crashed)).as("chunk ids per document after resume (seed %d)", seed).isEqualTo(expected);
        try (LuceneVectorStore store = LuceneVectorStore.open(crashed)) {
            assertThat(store.count()).as("seed %d", seed).isEqualTo(uninterrupted.chunksAdded());
        }

        IngestSummary again = IngestCrashMain.ingest(crashed, corpus, false);
        assertThat(again.chunksAdded()).isZero();
        assertThat(again.chunksRemoved()).isZero();
        assertThat(again.documentsUnchanged()).isEqualTo(DOCUMENTS);
        assertThat(CrashHarness.snapshot(crashed)).isEqualTo(expected);
    }
}
