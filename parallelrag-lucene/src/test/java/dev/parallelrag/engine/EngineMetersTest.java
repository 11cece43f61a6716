package dev.parallelrag.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.metrics.GenAiMetrics;
import dev.parallelrag.metrics.TimedVectorStore;
import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.pipeline.IngestMeters;
import dev.parallelrag.store.SearchMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine given a registry records its ingests and its store queries there; one without records nothing. */
class EngineMetersTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ParallelRag open(Path index, MeterRegistry meters) {
        return ParallelRag.builder(index).embeddingModel(new HashingEmbeddingModel(32)).embeddingCache(false)
                .meterRegistry(meters).build();
    }

    private static List<IngestItem> texts(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> IngestItem.text(new Document("doc-" + i,
                ("Text number " + i + " about lighthouses. ").repeat(i + 1)))).toList();
    }

    private long queries(SearchMode mode) {
        var timer = registry.find(TimedVectorStore.QUERY_DURATION).tags("store", "lucene",
                "mode", mode.name().toLowerCase(java.util.Locale.ROOT), GenAiMetrics.ERROR_TYPE, GenAiMetrics.NO_ERROR)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void ingestAndQueriesOfAnEngineAreRecordedInItsRegistry() {
        try (ParallelRag rag = open(dir.resolve("index"), registry)) {
            assertThat(rag.meterRegistry()).containsSame(registry);
            rag.ingestItems(texts(3), IngestOptions.defaults());

            assertThat(registry.get(IngestMeters.DOCUMENTS).tag("outcome", "ingested").counter().count()).isEqualTo(3);
            assertThat(registry.get(IngestMeters.CHUNKS).tag("outcome", "added").counter().count())
                    .isEqualTo(rag.stats().chunks());

            rag.search("lighthouses", 2, SearchMode.HYBRID);
            rag.search("lighthouses", 2, SearchMode.KEYWORD);
            rag.search("lighthouses", 2, SearchMode.VECTOR);
            rag.ask("What about lighthouses?");

            assertThat(queries(SearchMode.HYBRID)).as("the search and the question").isEqualTo(2);
            assertThat(queries(SearchMode.KEYWORD)).isEqualTo(1);
            assertThat(queries(SearchMode.VECTOR)).isEqualTo(1);
        }
    }

    @Test
    void anEngineWithoutARegistryAddsNoMeters() {
        try (ParallelRag rag = open(dir.resolve("index"), null)) {
            assertThat(rag.meterRegistry()).isEmpty();
            rag.ingestItems(texts(2), IngestOptions.defaults());
            rag.search("lighthouses", 2, SearchMode.HYBRID);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aRegistryServesOneOpenEngineAtATime() {
        try (ParallelRag first = open(dir.resolve("one"), registry)) {
            assertThatThrownBy(() -> open(dir.resolve("two"), registry)).isInstanceOfSatisfying(
                    ValidationException.class, e -> assertThat(e.field()).isEqualTo("meterRegistry"));
        }
        try (ParallelRag again = open(dir.resolve("two"), registry)) {
            again.ingestItems(texts(1), IngestOptions.defaults());
            assertThat(registry.get(IngestMeters.QUEUE_DEPTH).gauges()).hasSize(2);
        }
    }
}
