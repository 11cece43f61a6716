package dev.parallelrag.embed.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingSpace;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link CachingEmbeddingModel.Builder#memoryEntries} bounds what the memory tier serves again. */
class CacheSettingsTest {

    private static int textsEmbeddedOnTheSecondPass(long memoryEntries) {
        CachingEmbeddingModelTest.CountingModel model = new CachingEmbeddingModelTest.CountingModel(EmbeddingSpace.of("settings"));
        List<String> texts = IntStream.range(0, 200).mapToObj(i -> "text " + i).toList();
        try (CachingEmbeddingModel cache = CachingEmbeddingModel.builder(model).memoryEntries(memoryEntries).build()) {
            cache.embedBatch(texts);
            // Caffeine evicts in the background; the stats settle the memory tier first
            assertThat(cache.cacheStats().entries()).isLessThanOrEqualTo(memoryEntries);
            int before = model.texts.get();
            cache.embedBatch(texts);
            return model.texts.get() - before;
        }
    }

    @Test
    void memoryEntriesIsHowManyVectorsTheMemoryTierKeeps() {
        assertThat(textsEmbeddedOnTheSecondPass(1_000)).as("all 200 kept").isZero();
        assertThat(textsEmbeddedOnTheSecondPass(10)).as("at most 10 kept").isGreaterThanOrEqualTo(150);
    }
}
