package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.SearchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest pipeline records the index manifest and takes its defaults from the embedder. */
class IngestManifestTest {

    @TempDir
    Path dir;

    private Path corpus() throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        for (int i = 0; i < 6; i++) {
            Files.writeString(docs.resolve("d" + i + ".txt"), ("Document " + i + " talks about tariffs, trade and the union. ").repeat(40));
        }
        return docs;
    }

    @Test
    void theManifestRecordsTheEmbedderAndEverySplitterSetting() throws IOException {
        InMemoryVectorStore store = new InMemoryVectorStore();
        SplitterSpec splitter = SplitterSpec.builder(SplitterSpec.Kind.TOKEN).chunkSize(60).chunkOverlap(6).build();
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            new IngestPipeline(IngestConfig.builder(splitter.create()).build(), new HashingEmbeddingModel(32), store, runtime)
                    .run(List.of(corpus()), IngestListener.NONE);
        }
        IndexManifest manifest = IndexManifest.read(store.indexMetadata()).orElseThrow();
        assertThat(manifest.embedder()).isEqualTo(EmbedderSpec.custom("test/hashing-32", 32));
        assertThat(manifest.splitter()).contains(splitter);
        assertThat(manifest.splitterFingerprint()).isEqualTo(splitter.create().toString());
        assertThat(store.indexMetadata()).containsEntry(IndexManifest.VERSION, "1").containsEntry("splitter.kind", "token")
                .containsEntry("splitter.strip_whitespace", "false").containsKey(IndexManifest.LAST_INGEST);
    }

    @Test
    void anotherEmbedderForAnIndexWithChunksIsRefusedNamingBoth() throws IOException {
        InMemoryVectorStore store = new InMemoryVectorStore();
        Path docs = corpus();
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            IngestConfig config = IngestConfig.builder(Splitters.recursive(300, 30)).build();
            new IngestPipeline(config, new HashingEmbeddingModel(32), store, runtime).run(List.of(docs), IngestListener.NONE);
            long before = store.count();
            assertThatThrownBy(() -> new IngestPipeline(config, new HashingEmbeddingModel(48), store, runtime)
                    .run(List.of(docs), IngestListener.NONE))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("test/hashing-48")
                    .hasMessageContaining("test/hashing-32").hasMessageContaining("new index");
            assertThat(store.count()).isEqualTo(before);
        }
    }

    @Test
    void aRecordedQueryPrefixGoesBeforeQuestionsOnly() throws IOException {
        RecordingModel model = new RecordingModel("query: ");
        InMemoryVectorStore store = new InMemoryVectorStore();
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            new IngestPipeline(IngestConfig.builder(Splitters.recursive(300, 30)).build(), model, store, runtime)
                    .run(List.of(corpus()), IngestListener.NONE);
        }
        assertThat(model.texts).isNotEmpty().noneMatch(t -> t.startsWith("query: "));
        assertThat(store.indexMetadata()).containsEntry(IndexManifest.EMBEDDER_QUERY_PREFIX, "query: ");
        model.texts.clear();
        Rag.builder(model, store).build().search("tariffs and trade", 3, SearchMode.VECTOR);
        assertThat(model.texts).containsExactly("query: tariffs and trade");
        model.texts.clear();
        Rag.builder(model, store).build().ask("What about the union?");
        assertThat(model.texts.getFirst()).isEqualTo("query: What about the union?");
        assertThat(model.texts.subList(1, model.texts.size())).isNotEmpty().noneMatch(t -> t.startsWith("query: "));
    }

    @Test
    void embedConcurrencyDefaultsToTheEmbeddersPreference() throws IOException {
        ConcurrencyModel model = new ConcurrencyModel(3, 4);
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            new IngestPipeline(IngestConfig.builder(Splitters.recursive(100, 0)).build(), model, new InMemoryVectorStore(), runtime)
                    .run(List.of(corpus()), IngestListener.NONE);
            assertThat(model.maxInFlight.get()).isEqualTo(3); // the library default of 2 would stop at 2
            // batches of 40: a few batches, each holding on for another to join, which the default of 3 would let in
            ConcurrencyModel one = new ConcurrencyModel(3, 40);
            new IngestPipeline(IngestConfig.builder(Splitters.recursive(100, 0)).embedConcurrency(1).build(), one,
                    new InMemoryVectorStore(), runtime).run(List.of(corpus()), IngestListener.NONE);
            assertThat(one.maxInFlight.get()).isEqualTo(1); // an explicit value wins
        }
    }

    /** Hashing vectors, a query prefix in its spec, and every text it was asked to embed. */
    private static final class RecordingModel implements EmbeddingModel {
        final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        private final HashingEmbeddingModel hashing = new HashingEmbeddingModel(32);
        private final String prefix;

        RecordingModel(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public String modelId() {
            return "test/recording";
        }

        @Override
        public EmbedderSpec spec() {
            return EmbedderSpec.custom(modelId(), 32).withQueryPrefix(prefix);
        }

        @Override
        public int dimension() {
            return 32;
        }

        @Override
        public int maxBatchSize() {
            return 16;
        }

        @Override
        public int maxBatchTokens() {
            return 100_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> batch) {
            texts.addAll(batch);
            return hashing.embedBatch(batch);
        }
    }

    /**
     * Asks for {@code preferred} calls in flight and holds each call until that many are running (or a
     * second has passed), so the largest number seen is the pipeline's concurrency, up to the preference.
     */
    private static final class ConcurrencyModel implements EmbeddingModel {
        final AtomicInteger maxInFlight = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final HashingEmbeddingModel hashing = new HashingEmbeddingModel(16);
        private final int preferred;
        private final int maxBatchSize;

        ConcurrencyModel(int preferred, int maxBatchSize) {
            this.preferred = preferred;
            this.maxBatchSize = maxBatchSize;
        }

        @Override
        public String modelId() {
            return "test/concurrency";
        }

        @Override
        public int preferredConcurrency() {
            return preferred;
        }

        @Override
        public int dimension() {
            return 16;
        }

        @Override
        public int maxBatchSize() {
            return maxBatchSize;
        }

        @Override
        public int maxBatchTokens() {
            return 100_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            try {
                // each batch holds on (up to 1 s) for others to join until as many as it prefers ran at once
                while (maxInFlight.get() < preferred && inFlight.get() < preferred && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
                return hashing.embedBatch(texts);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
