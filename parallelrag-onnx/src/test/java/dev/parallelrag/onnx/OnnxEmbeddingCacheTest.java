package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingSpace;
import dev.parallelrag.embed.cache.CachingEmbeddingModel;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core embedding cache in front of the local model: a second pass over 2,000 chunks runs no inference. */
class OnnxEmbeddingCacheTest {

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
            assertThat(callsAfterFirst).isPositive();

            List<float[]> second = cached.embedBatch(chunks);

            assertThat(model.stats().inferenceCalls()).isEqualTo(callsAfterFirst);
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
            assertThat(cached.cacheStats().diskHits()).isEqualTo(2000);
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(again.get(i)).containsExactly(first.get(i));
            }
        }
    }

    @Test
    void theFullAndTheQuantizedModelAreDifferentSpacesAndNormalisationIsPartOfTheSpace() {
        try (OnnxEmbeddingModel full = OnnxEmbeddingModel.allMiniLmL6V2();
             OnnxEmbeddingModel quantized = OnnxEmbeddingModel.allMiniLmL6V2Quantized()) {
            EmbeddingSpace a = full.space();
            EmbeddingSpace b = quantized.space();
            assertThat(a).isNotEqualTo(b);
            assertThat(a.provider()).isEqualTo("local");
            assertThat(a.normalized()).isTrue();
            assertThat(a.revision()).contains("mean");
        }
    }
}
