package dev.parallelrag.onnx.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.onnx.TestTexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Must show 3: a second pass over the same 2,000 chunks with the cache on runs no inference. */
class CachingEmbeddingModelTest {

    /** 2,000 distinct real chunks, kept short (up to 12 words) so that the first, uncached pass stays quick. */
    private static List<String> chunks() {
        Set<String> distinct = new LinkedHashSet<>();
        for (String s : TestTexts.sotuSentences(4000, 11)) {
            String[] words = s.split("\\s+");
            distinct.add(String.join(" ", List.of(words).subList(0, Math.min(12, words.length))));
            if (distinct.size() == 2000) {
                break;
            }
        }
        assertThat(distinct).hasSize(2000);
        return List.copyOf(distinct);
    }

    @Test
    void secondPassOverTwoThousandChunksRunsNoInference(@TempDir Path dir) {
        List<String> chunks = chunks();
        List<float[]> first;
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2Quantized();
             CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(model, 10_000, dir)) {
            first = cached.embedBatch(chunks);
            long callsAfterFirst = model.stats().inferenceCalls();
            assertThat(cached.cacheStats().misses()).isEqualTo(2000);
            assertThat(cached.cacheStats().hits()).isZero();
            assertThat(callsAfterFirst).isPositive();

            List<float[]> second = cached.embedBatch(chunks);

            assertThat(model.stats().inferenceCalls()).isEqualTo(callsAfterFirst);
            assertThat(cached.cacheStats().hits()).isEqualTo(2000);
            assertThat(cached.cacheStats().memoryHits()).isEqualTo(2000);
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(second.get(i)).containsExactly(first.get(i));
            }
        }
        // a new process (new model, new cache object) on the same directory: every chunk from disk, no inference
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2Quantized();
             CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(model, 10_000, dir)) {
            List<float[]> again = cached.embedBatch(chunks);
            assertThat(model.stats().inferenceCalls()).isZero();
            assertThat(cached.cacheStats().hits()).isEqualTo(2000);
            assertThat(cached.cacheStats().diskHits()).isEqualTo(2000);
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(again.get(i)).containsExactly(first.get(i));
            }
        }
    }

    @Test
    void sameTextUnderAnotherModelIsAnotherEntry() {
        assertThat(CacheKey.of("local/a", "text")).isNotEqualTo(CacheKey.of("local/b", "text"));
        assertThat(CacheKey.of("local/a", "text")).isEqualTo(CacheKey.of("local/a", "text"));
    }

    @Test
    void tornRecordAtTheEndIsCutOffOnOpen(@TempDir Path dir) throws IOException {
        float[] v = {1f, 2f, 3f};
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            cache.put(CacheKey.of("m", "a"), v);
            cache.put(CacheKey.of("m", "b"), v);
        }
        Path file = dir.resolve(DiskEmbeddingCache.FILE);
        long whole = Files.size(file);
        // a crash in the middle of a third record leaves a partial one (the first record's bytes, cut short)
        byte[] bytes = Files.readAllBytes(file);
        int torn = bytes.length / 2 - 5;
        Files.write(file, java.util.Arrays.copyOf(bytes, torn), StandardOpenOption.APPEND);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.recoveredBytes()).isEqualTo(torn);
            assertThat(cache.get(CacheKey.of("m", "b"))).containsExactly(v);
            cache.put(CacheKey.of("m", "c"), new float[] {4f});
        }
        assertThat(Files.size(file)).isGreaterThan(whole);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isEqualTo(3);
            assertThat(cache.get(CacheKey.of("m", "c"))).containsExactly(4f);
        }
    }

    @Test
    void corruptedRecordIsNotServed(@TempDir Path dir) throws IOException {
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            cache.put(CacheKey.of("m", "a"), new float[] {1f, 2f});
        }
        Path file = dir.resolve(DiskEmbeddingCache.FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 0x40; // flip a bit inside the vector
        Files.write(file, bytes);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.get(CacheKey.of("m", "a"))).isNull();
            assertThat(cache.size()).isZero();
        }
    }

    @Test
    void secondOpenerOfTheSameDirectoryGetsAClearError(@TempDir Path dir) {
        try (DiskEmbeddingCache first = DiskEmbeddingCache.open(dir)) {
            assertThatThrownBy(() -> DiskEmbeddingCache.open(dir))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void memoryTierIsBounded() {
        MemoryEmbeddingCache cache = new MemoryEmbeddingCache(10);
        for (int i = 0; i < 100; i++) {
            cache.put(CacheKey.of("m", "t" + i), new float[] {i});
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
}
