package dev.parallelrag.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.HybridSearchable;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.VectorStore;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queries through the decorator are timed by store kind, mode and outcome; everything else passes through. */
class TimedVectorStoreTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static StoredChunk chunk(String id, float[] vector) {
        return new StoredChunk(id, "doc", "doc.txt", 0, 4, "text " + id, "hash-" + id, "test/model", Map.of(), vector);
    }

    private Timer timer(String errorType) {
        return registry.find(TimedVectorStore.QUERY_DURATION).tags("store", "memory", "mode", "vector",
                GenAiMetrics.ERROR_TYPE, errorType).timer();
    }

    @Test
    void aVectorQueryIsTimedAndAFailedOneCountsUnderItsErrorType() {
        try (VectorStore store = TimedVectorStore.of(new InMemoryVectorStore(), "memory", registry)) {
            store.upsert(List.of(chunk("a", new float[] {1, 0}), chunk("b", new float[] {0, 1})));

            assertThat(store.search(new float[] {1, 0}, 1)).extracting(h -> h.chunkId()).containsExactly("a");
            assertThat(timer(GenAiMetrics.NO_ERROR).count()).isEqualTo(1);
            assertThat(timer(GenAiMetrics.NO_ERROR).totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();

            assertThatThrownBy(() -> store.search(new float[] {1, 0, 0}, 1)).isInstanceOf(ValidationException.class);
            assertThat(timer("validation").count()).isEqualTo(1);
            assertThat(timer(GenAiMetrics.NO_ERROR).count()).isEqualTo(1);

            store.commit();
            assertThat(store.count()).isEqualTo(2);
            assertThat(registry.find(TimedVectorStore.QUERY_DURATION).timers()).hasSize(2);
        }
    }

    @Test
    void theWrapperIsHybridSearchableOnlyWhenTheStoreIs() {
        VectorStore plain = new InMemoryVectorStore();
        assertThat(plain instanceof HybridSearchable).isFalse();
        assertThat(TimedVectorStore.of(plain, "memory", registry)).isNotInstanceOf(HybridSearchable.class);
    }
}
