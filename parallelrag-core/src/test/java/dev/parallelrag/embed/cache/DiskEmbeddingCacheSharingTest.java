package dev.parallelrag.embed.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbeddingSpace;
import dev.parallelrag.embed.InputType;
import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several caches on one directory at once, as the per-user default has them (one per ingest, in any number
 * of processes): every entry any of them wrote is there, whole, and written once. Instances in one JVM take
 * the same lock two processes do; the CLI's {@code IngestRemoteEmbeddingCacheTest} runs two processes.
 */
class DiskEmbeddingCacheSharingTest {

    private static final EmbeddingSpace M = EmbeddingSpace.of("m");
    private static final int DIMENSION = 4;
    /** Bytes of one record of {@link #DIMENSION} floats: magic, key, dimension, floats, checksum. */
    private static final long RECORD = 4 + CacheKey.BYTES + 4 + 4L * DIMENSION + 4;

    private static CacheKey key(String text) {
        return CacheKey.of(M, InputType.DOCUMENT, text);
    }

    private static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = text.hashCode() * 31f + i;
        }
        return v;
    }

    @Test
    void twoCachesOnOneDirectoryBothWriteAndSeeEachOthersEntriesBeforeWriting(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(DiskEmbeddingCache.FILE);
        try (DiskEmbeddingCache first = DiskEmbeddingCache.open(dir); DiskEmbeddingCache second = DiskEmbeddingCache.open(dir)) {
            first.put(key("a"), vector("a"));
            second.put(key("b"), vector("b"));
            assertThat(second.get(key("a"))).as("read while appending its own").containsExactly(vector("a"));
            second.put(key("a"), vector("a"));
            first.put(key("b"), vector("b"));
            assertThat(Files.size(file)).as("each entry once").isEqualTo(DiskEmbeddingCache.FILE_HEADER + 2 * RECORD);
            assertThat(first.get(key("b"))).containsExactly(vector("b"));
        }
        try (DiskEmbeddingCache reopened = DiskEmbeddingCache.open(dir)) {
            assertThat(reopened.size()).isEqualTo(2);
            assertThat(reopened.recoveredBytes()).isZero();
        }
    }

    @Test
    void concurrentWritersLoseNothingAndWriteEachEntryOnce(@TempDir Path dir) throws Exception {
        int writers = 4;
        int own = 150;
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            shared.add("shared " + i);
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    go.await();
                    try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
                        for (int i = 0; i < own; i += 5) { // batches of five, as an ingest puts a batch at a time
                            Map<CacheKey, float[]> batch = new LinkedHashMap<>();
                            for (int j = i; j < i + 5; j++) {
                                String text = "writer " + writer + " text " + j;
                                batch.put(key(text), vector(text));
                            }
                            String common = shared.get((i / 5 + writer) % shared.size());
                            batch.put(key(common), vector(common));
                            cache.putAll(batch);
                        }
                        for (String text : shared) {
                            cache.put(key(text), vector(text));
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        int entries = writers * own + shared.size();
        assertThat(Files.size(dir.resolve(DiskEmbeddingCache.FILE))).as("no entry twice, no torn record").isEqualTo(DiskEmbeddingCache.FILE_HEADER + entries * RECORD);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isEqualTo(entries);
            assertThat(cache.recoveredBytes()).isZero();
            for (int w = 0; w < writers; w++) {
                for (int j = 0; j < own; j++) {
                    String text = "writer " + w + " text " + j;
                    assertThat(cache.get(key(text))).as(text).containsExactly(vector(text));
                }
            }
            for (String text : shared) {
                assertThat(cache.get(key(text))).as(text).containsExactly(vector(text));
            }
        }
    }

    @Test
    void theNextWriterCutsWhatAWriterThatDiedMidRecordLeft(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(DiskEmbeddingCache.FILE);
        try (DiskEmbeddingCache alive = DiskEmbeddingCache.open(dir)) {
            alive.put(key("a"), vector("a"));
            // another user of the directory died in the middle of its record
            byte[] whole = Files.readAllBytes(file);
            int torn = (int) RECORD / 2;
            Files.write(file, Arrays.copyOf(whole, torn), StandardOpenOption.APPEND);

            alive.put(key("b"), vector("b"));
            assertThat(alive.recoveredBytes()).isEqualTo(torn);
            assertThat(Files.size(file)).isEqualTo(DiskEmbeddingCache.FILE_HEADER + 2 * RECORD);
        }
        try (DiskEmbeddingCache reopened = DiskEmbeddingCache.open(dir)) {
            assertThat(reopened.size()).isEqualTo(2);
            assertThat(reopened.get(key("b"))).containsExactly(vector("b"));
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAClearError(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("cache"), "not a directory");
        assertThatThrownBy(() -> DiskEmbeddingCache.open(file)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("cacheDirectory").hasMessageContaining("is a file, not a directory");
    }
}
