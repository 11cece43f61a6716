package dev.parallelrag.embed.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.EmbeddingSpace;
import dev.parallelrag.embed.InputType;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache in front of any embedding model: keys, tiers, crash recovery. */
class CachingEmbeddingModelTest {

    private static final EmbeddingSpace M = EmbeddingSpace.of("m");

    private static CacheKey key(String text) {
        return CacheKey.of(M, InputType.DOCUMENT, text);
    }

    /** Counts what reaches it; the vector is the text's length and first character. */
    static final class CountingModel implements EmbeddingModel {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger texts = new AtomicInteger();
        private final EmbeddingSpace space;

        CountingModel(EmbeddingSpace space) {
            this.space = space;
        }

        @Override
        public String modelId() {
            return space.modelId();
        }

        @Override
        public EmbeddingSpace space() {
            return space;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public int maxBatchSize() {
            return 100;
        }

        @Override
        public int maxBatchTokens() {
            return 100_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> batch) {
            calls.incrementAndGet();
            texts.addAndGet(batch.size());
            List<float[]> out = new ArrayList<>();
            for (String t : batch) {
                out.add(new float[] {t.length(), t.charAt(0)});
            }
            return out;
        }
    }

    @Test
    void secondPassRunsNoInferenceAndANewCacheOnTheSameDirectoryReadsFromDisk(@TempDir Path dir) {
        List<String> texts = List.of("alpha", "beta", "gamma", "alpha");
        CountingModel model = new CountingModel(M);
        List<float[]> first;
        try (CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(model, 100, dir)) {
            first = cached.embedBatch(texts);
            assertThat(model.calls).hasValue(1);
            assertThat(model.texts).as("the repeated text is embedded once").hasValue(3);
            List<float[]> second = cached.embedBatch(texts);
            assertThat(model.calls).hasValue(1);
            assertThat(cached.cacheStats().memoryHits()).isEqualTo(4);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(second.get(i)).containsExactly(first.get(i));
            }
        }
        CountingModel again = new CountingModel(M);
        try (CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(again, 100, dir)) {
            List<float[]> third = cached.embedBatch(texts);
            assertThat(again.calls).hasValue(0);
            assertThat(cached.cacheStats().diskHits()).isEqualTo(3);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(third.get(i)).containsExactly(first.get(i));
            }
        }
    }

    @Test
    void anotherEmbeddingSpaceOnTheSameDirectoryMissesEveryEntry(@TempDir Path dir) {
        List<String> texts = List.of("alpha", "beta");
        try (CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(new CountingModel(M), 100, dir)) {
            cached.embedBatch(texts);
        }
        for (EmbeddingSpace other : List.of(new EmbeddingSpace("local", "m", "v2", 0, false),
                new EmbeddingSpace("local", "m", "", 256, false), new EmbeddingSpace("local", "m", "", 0, true),
                new EmbeddingSpace("openai", "m", "", 0, false), EmbeddingSpace.of("n"))) {
            CountingModel model = new CountingModel(other);
            try (CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(model, 100, dir)) {
                cached.embedBatch(texts);
            }
            assertThat(model.texts).as(other.describe()).hasValue(2);
        }
    }

    @Test
    void queriesAndDocumentsAreSeparateEntries(@TempDir Path dir) {
        CountingModel model = new CountingModel(M);
        try (CachingEmbeddingModel docs = CachingEmbeddingModel.builder(model).directory(dir).build()) {
            docs.embedBatch(List.of("alpha"));
        }
        try (CachingEmbeddingModel queries = CachingEmbeddingModel.builder(model).directory(dir)
                .inputType(InputType.QUERY).build()) {
            queries.embedBatch(List.of("alpha"));
            assertThat(queries.inputType()).isEqualTo(InputType.QUERY);
        }
        assertThat(model.calls).hasValue(2);
    }

    @Test
    void memoryEntriesBelowOneIsRejectedByName() {
        assertThatThrownBy(() -> CachingEmbeddingModel.builder(new CountingModel(M)).memoryEntries(0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("memoryEntries");
    }

    @Test
    void theCacheReportsTheWrappedModelsSpace() {
        EmbeddingSpace space = new EmbeddingSpace("local", "m", "r1", 0, true);
        try (CachingEmbeddingModel cached = CachingEmbeddingModel.inMemory(new CountingModel(space), 10)) {
            assertThat(cached.space()).isEqualTo(space);
        }
    }

    @Test
    void sameTextUnderAnotherModelIsAnotherEntry() {
        assertThat(CacheKey.of(EmbeddingSpace.of("local/a"), InputType.DOCUMENT, "text"))
                .isNotEqualTo(CacheKey.of(EmbeddingSpace.of("local/b"), InputType.DOCUMENT, "text"))
                .isEqualTo(CacheKey.of(EmbeddingSpace.of("local/a"), InputType.DOCUMENT, "text"));
        // length-prefixed parts: moving a character from one part to the next gives another key
        assertThat(CacheKey.of(new EmbeddingSpace("ab", "c", "", 0, false), InputType.DOCUMENT, "t"))
                .isNotEqualTo(CacheKey.of(new EmbeddingSpace("a", "bc", "", 0, false), InputType.DOCUMENT, "t"));
    }

    @Test
    void tornRecordAtTheEndIsCutOffOnOpen(@TempDir Path dir) throws IOException {
        float[] v = {1f, 2f, 3f};
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            cache.put(key("a"), v);
            cache.put(key("b"), v);
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
            assertThat(cache.get(key("b"))).containsExactly(v);
            cache.put(key("c"), new float[] {4f});
        }
        assertThat(Files.size(file)).isGreaterThan(whole);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isEqualTo(3);
            assertThat(cache.get(key("c"))).containsExactly(4f);
        }
    }

    @Test
    void corruptedRecordIsNotServed(@TempDir Path dir) throws IOException {
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            cache.put(key("a"), new float[] {1f, 2f});
        }
        Path file = dir.resolve(DiskEmbeddingCache.FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 0x40; // flip a bit inside the vector
        Files.write(file, bytes);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.get(key("a"))).isNull();
            assertThat(cache.size()).isZero();
        }
    }

    @Test
    void memoryTierIsBounded() {
        MemoryEmbeddingCache cache = new MemoryEmbeddingCache(10);
        for (int i = 0; i < 100; i++) {
            cache.put(key("t" + i), new float[] {i});
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
}
