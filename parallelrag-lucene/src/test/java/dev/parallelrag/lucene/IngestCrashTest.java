package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.pipeline.IngestSummary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
        Map<String, TreeSet<String>> expected = snapshot(reference);
        assertThat(uninterrupted.chunksAdded()).isPositive();

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path crashed = dir.resolve("crashed");
        for (int attempt = 0; attempt < 2; attempt++) {
            int killAfter = 1 + random.nextInt(DOCUMENTS - 2);
            long extraDelayMillis = random.nextInt(40);
            String outcome = runAndKill(crashed, corpus, killAfter, extraDelayMillis);
            System.out.printf("crash test seed %d attempt %d: kill after %d documents + %d ms -> %s%n",
                    seed, attempt, killAfter, extraDelayMillis, outcome);
        }

        IngestSummary resumed = IngestCrashMain.ingest(crashed, corpus, false);
        assertThat(resumed.allSucceeded()).isTrue();
        assertThat(snapshot(crashed)).as("chunk ids per document after resume (seed %d)", seed).isEqualTo(expected);
        try (LuceneVectorStore store = LuceneVectorStore.open(crashed)) {
            assertThat(store.count()).as("seed %d", seed).isEqualTo(uninterrupted.chunksAdded());
        }

        IngestSummary again = IngestCrashMain.ingest(crashed, corpus, false);
        assertThat(again.chunksAdded()).isZero();
        assertThat(again.chunksRemoved()).isZero();
        assertThat(again.documentsUnchanged()).isEqualTo(DOCUMENTS);
        assertThat(snapshot(crashed)).isEqualTo(expected);
    }

    /** Starts the child ingest, SIGKILLs it after {@code killAfter} documents (+ delay); says what happened. */
    private String runAndKill(Path index, Path corpus, int killAfter, long delayMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                IngestCrashMain.class.getName(), index.toString(), corpus.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("written " + killAfter)) {
                    Thread.sleep(delayMillis);
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no final commit
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

    /** Chunk ids per document (by file name) of the index at {@code index}. */
    static Map<String, TreeSet<String>> snapshot(Path index) {
        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            Map<String, TreeSet<String>> ids = new TreeMap<>();
            for (String doc : store.documentIds()) {
                ids.put(Path.of(doc).getFileName().toString(), new TreeSet<>(store.chunkIds(doc)));
            }
            return ids;
        }
    }
}
