package dev.parallelrag.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.UserCacheDirectory;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.cache.DiskEmbeddingCache;
import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.spi.VectorStoreProvider;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.FakeProviderServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every engine builder setting takes effect, against the testkit's OpenAI-compatible embeddings (so no
 * local model is loaded): a test per setting that fails if the setting is ignored.
 */
class ParallelRagTest {

    private static final String EMBEDDINGS = "/v1/embeddings";

    @TempDir
    static Path work;

    private static FakeProviderServer server;
    private static Path docs;
    private static UnaryOperator<String> env;

    @BeforeAll
    static void start() throws IOException {
        server = FakeProviderServer.builder().dimension(48).start();
        env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key")::get;
        docs = Files.createDirectories(work.resolve("docs"));
        for (int i = 0; i < 4; i++) {
            Files.writeString(docs.resolve("speech" + i + ".txt"), ("Speech " + i + " on tariffs and the union. "
                    + "The slave trade must end, said the president. Congress met in December. ").repeat(30));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
        server.faults();
    }

    private static ParallelRag.Builder openAi(Path index) {
        return ParallelRag.builder(index).embedder("openai", "text-embedding-3-small").environment(env);
    }

    private static Path fresh(String name) {
        return work.resolve(name + "-" + System.nanoTime());
    }

    @Test
    void embedderAndSplitterOfANewIndexAreRecordedAndReopenedWithNoSetting() {
        Path index = fresh("new");
        SplitterSpec splitter = SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).chunkSize(300).build();
        List<String> hits;
        try (ParallelRag rag = openAi(index).splitter(splitter).build()) {
            rag.ingest(List.of(docs));
            hits = rag.search("slave trade", 3, SearchMode.HYBRID).stream().map(SearchHit::chunkId).toList();
        }
        try (ParallelRag rag = ParallelRag.builder(index).environment(env).build()) {
            IndexManifest m = rag.manifest().orElseThrow();
            assertThat(m.embedder()).isEqualTo(new EmbedderSpec("openai", "text-embedding-3-small", "openai/text-embedding-3-small",
                    48, false, EmbedderSpec.POOLED_BY_PROVIDER, ""));
            assertThat(m.splitter()).contains(splitter);
            assertThat(rag.search("slave trade", 3, SearchMode.HYBRID).stream().map(SearchHit::chunkId).toList()).isEqualTo(hits);
        }
    }

    @Test
    void aModelNameWithoutAKindIsAModelOfTheRecordedKindOrOfLocalForANewIndex() {
        // described, not loaded: building the engine reads no model
        try (ParallelRag rag = ParallelRag.builder(fresh("model-only")).embedder(null, "bge-small-en-v1.5-q").build()) {
            assertThat(rag.embedder().modelId()).isEqualTo("local/bge-small-en-v1.5-q");
            assertThat(rag.embedder().queryPrefix()).isEqualTo("Represent this sentence for searching relevant passages: ");
        }
        assertThatThrownBy(() -> ParallelRag.builder(fresh("model-only")).embedder(null, "bge-large").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("bge-large").hasMessageContaining("bge-small-en-v1.5-q");
        Path index = fresh("remote-model-only");
        try (ParallelRag rag = openAi(index).build()) {
            rag.ingest(List.of(docs));
        }
        assertThatThrownBy(() -> ParallelRag.builder(index).environment(env).embedder(null, "text-embedding-3-large").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("openai/text-embedding-3-large")
                .hasMessageContaining("openai/text-embedding-3-small");
    }

    @Test
    void providerConfigConnectsTheRemoteEmbedderWithoutTheEnvironment() {
        Path index = fresh("config");
        try (ParallelRag rag = openAi(index).build()) {
            rag.ingest(List.of(docs));
        }
        ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(server.openAiBaseUrl()).apiKey("test-key").build();
        server.reset();
        try (ParallelRag rag = ParallelRag.builder(index).environment(name -> null).providerConfig(config).build()) {
            assertThat(rag.search("tariffs", 2, SearchMode.VECTOR)).hasSize(2);
        }
        assertThat(server.requestCount(EMBEDDINGS)).isEqualTo(1);
        try (ParallelRag rag = ParallelRag.builder(index).environment(name -> null).build()) {
            assertThatThrownBy(() -> rag.search("tariffs", 2, SearchMode.VECTOR)).hasMessageContaining("OPENAI_API_KEY");
        }
    }

    @Test
    void embedderResilienceSetsTheRemoteEmbeddersRetries() {
        Path index = fresh("resilience");
        try (ParallelRag rag = openAi(index).build()) {
            rag.ingest(List.of(docs));
        }
        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(503).message("down")).onlyPaths(EMBEDDINGS));
        try (ParallelRag rag = ParallelRag.builder(index).environment(env)
                .embedderResilience(failFast(1)).build()) {
            assertThatThrownBy(() -> rag.search("tariffs", 2, SearchMode.VECTOR)).isInstanceOf(ParallelRagException.class);
        }
        assertThat(server.requestCount(EMBEDDINGS)).isEqualTo(1);
        server.reset();
        try (ParallelRag rag = ParallelRag.builder(index).environment(env)
                .embedderResilience(failFast(2)).build()) {
            assertThatThrownBy(() -> rag.search("tariffs", 2, SearchMode.VECTOR)).isInstanceOf(ParallelRagException.class);
        }
        assertThat(server.requestCount(EMBEDDINGS)).isEqualTo(2);
        assertThatThrownBy(() -> ParallelRag.builder(fresh("local")).embedder("local", null)
                .embedderResilience(ResilienceConfig.builder().maxAttempts(1).build()).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("remote embedders only");
    }

    /**
     * {@code attempts} attempts, and no outage wait: alone in flight, the failed query would otherwise wait
     * {@code maxBackoff} (5 s) for another request to tell it of an outage (OutageVerdictTest covers that wait).
     */
    private static ResilienceConfig failFast(int attempts) {
        return ResilienceConfig.builder().maxAttempts(attempts).outageWait(java.time.Duration.ZERO).build();
    }

    @Test
    void kAndModeAreTheDefaultsOfSearchAndAsk() {
        Path index = fresh("k");
        try (ParallelRag rag = openAi(index).build()) {
            rag.ingest(List.of(docs));
        }
        server.reset();
        try (ParallelRag rag = ParallelRag.builder(index).environment(env).k(2).mode(SearchMode.KEYWORD).build()) {
            List<SearchHit> hits = rag.search("slave trade");
            assertThat(hits).hasSize(2);
            assertThat(hits).isEqualTo(rag.search("slave trade", 2, SearchMode.KEYWORD));
            assertThat(rag.embedderLoaded()).isFalse();
            assertThat(server.requestCount(EMBEDDINGS)).isZero();
        }
        try (ParallelRag rag = ParallelRag.builder(index).environment(env).build()) {
            assertThat(rag.search("slave trade")).hasSize(5);
            assertThat(rag.ask("What about the slave trade?").citations()).isNotEmpty();
        }
        assertThatThrownBy(() -> ParallelRag.builder(index).k(0).build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("k");
    }

    @Test
    void aChatModelWritesTheAnswerAndFallbackToExtractiveCoversItsFailure() {
        Path index = fresh("llm");
        try (ParallelRag rag = openAi(index).build()) {
            rag.ingest(List.of(docs));
        }
        ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(server.openAiBaseUrl()).apiKey("test-key").build();
        try (LlmClient llm = Providers.llmClient(config, "gpt-4o-mini")) {
            try (ParallelRag rag = ParallelRag.builder(index).environment(env).chatModel(llm).build()) {
                Answer a = rag.ask("What about the slave trade?");
                assertThat(a.mode()).isEqualTo(Answer.Mode.GENERATED);
                assertThat(a.text()).startsWith("echo: Sources:");
            }
            server.faults(FaultPlan.rate(1.0, 1, Fault.status(400).message("bad request")).onlyPaths("/v1/chat/completions"));
            try (ParallelRag rag = ParallelRag.builder(index).environment(env).chatModel(llm).build()) {
                assertThatThrownBy(() -> rag.ask("What about the slave trade?")).isInstanceOf(ParallelRagException.class);
            }
            try (ParallelRag rag = ParallelRag.builder(index).environment(env).chatModel(llm).fallbackToExtractive(true).build()) {
                Answer a = rag.ask("What about the slave trade?");
                assertThat(a.mode()).isEqualTo(Answer.Mode.EXTRACTIVE);
                assertThat(a.fallbackReason()).contains("400");
            }
        }
    }

    @Test
    void remoteEmbeddingsAreCachedSoASecondFreshIndexMakesNoEmbeddingRequest() {
        try (ParallelRag rag = openAi(fresh("default")).build()) {
            rag.ingest(List.of(docs)); // the per-user cache holds them now: a directory of one's own must not answer from it
        }
        server.reset();
        Path cache = fresh("shared-cache");
        try (ParallelRag rag = openAi(fresh("first")).embeddingCacheDirectory(cache).build()) {
            IngestSummary first = rag.ingest(List.of(docs));
            assertThat(first.chunksAdded()).isPositive();
        }
        assertThat(server.requestCount(EMBEDDINGS)).isPositive();
        assertThat(cache.resolve(DiskEmbeddingCache.FILE)).isNotEmptyFile();
        server.reset();
        try (ParallelRag rag = openAi(fresh("second")).embeddingCacheDirectory(cache).build()) {
            IngestSummary second = rag.ingest(List.of(docs));
            assertThat(second.chunksAdded()).isPositive();
            assertThat(second.embedderCounters()).containsEntry("cache_hits", second.chunksAdded());
        }
        assertThat(server.requestCount(EMBEDDINGS)).isZero();
    }

    @Test
    void theCacheIsOnByDefaultPerUserSharedByEveryIndexAndCanBeTurnedOff() throws IOException {
        assertThat(ParallelRag.defaultEmbeddingCacheDirectory())
                .isEqualTo(UserCacheDirectory.resolve().resolve(ParallelRag.EMBEDDING_CACHE_SUBDIRECTORY));
        // text no earlier test (or build) embedded, so the first ingest misses whatever the user's cache holds
        Path folder = Files.createDirectories(fresh("unique"));
        Files.writeString(folder.resolve("note.txt"), "A note of run " + System.nanoTime() + " on canals and grain.");
        Path first = fresh("cached");
        try (ParallelRag rag = openAi(first).build()) {
            assertThat(rag.ingest(List.of(folder)).embedderCounters()).containsEntry("cache_misses", 1L);
        }
        assertThat(server.requestCount(EMBEDDINGS)).isEqualTo(1);
        assertThat(ParallelRag.defaultEmbeddingCacheDirectory().resolve(DiskEmbeddingCache.FILE)).isNotEmptyFile();
        try (Stream<Path> inIndex = Files.walk(first)) {
            assertThat(inIndex).noneMatch(p -> p.getFileName().toString().equals(DiskEmbeddingCache.FILE));
        }
        server.reset();
        try (ParallelRag rag = openAi(fresh("second")).build()) {
            assertThat(rag.ingest(List.of(folder)).embedderCounters()).containsEntry("cache_hits", 1L);
        }
        assertThat(server.requestCount(EMBEDDINGS)).as("another fresh index, the same user's cache").isZero();

        Path plain = fresh("plain");
        try (ParallelRag rag = openAi(plain).embeddingCache(false).build()) {
            assertThat(rag.ingest(List.of(folder)).embedderCounters()).doesNotContainKey("cache_misses");
        }
        assertThat(server.requestCount(EMBEDDINGS)).isEqualTo(1);
        assertThatThrownBy(() -> openAi(fresh("x")).embeddingCache(false).embeddingCacheDirectory(plain).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("embeddingCacheDirectory");
    }

    @Test
    void ingestOptionsChooseTheFilesAndReportProgress() throws IOException {
        Path folder = Files.createDirectories(fresh("mixed"));
        Files.writeString(folder.resolve("a.txt"), "Tariffs and trade. ".repeat(20));
        Files.writeString(folder.resolve("b.md"), "# Union\n\nThe state of the union. ".repeat(20));
        Files.writeString(folder.resolve(".hidden.txt"), "A hidden note about the budget. ".repeat(20));
        Path index = fresh("options");
        List<dev.parallelrag.pipeline.IngestEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ParallelRag rag = openAi(index).build()) {
            IngestSummary txt = rag.ingest(List.of(folder), IngestOptions.builder().include(List.of("*.txt")).listener(events::add).build());
            assertThat(txt.documentsIngested()).isEqualTo(1);
            assertThat(events).anyMatch(e -> e instanceof dev.parallelrag.pipeline.IngestEvent.Finished);
            assertThat(rag.ingest(List.of(folder), IngestOptions.builder().exclude(List.of("*.txt")).build()).documentsIngested())
                    .isEqualTo(1);
            assertThat(rag.ingest(List.of(folder), IngestOptions.builder().includeHidden(true).build()).documentsIngested())
                    .isEqualTo(1);
            Files.delete(folder.resolve("a.txt"));
            assertThat(rag.ingest(List.of(folder), IngestOptions.defaults()).documentsPruned()).isZero();
            // the hidden file is walked again, so only the deleted one is pruned
            assertThat(rag.ingest(List.of(folder), IngestOptions.builder().prune(true).includeHidden(true).build())
                    .documentsPruned()).isEqualTo(1);
        }
    }

    @Test
    void aModelOfYourOwnIsRecordedAsCustomAndMustBePassedAgain() {
        Path index = fresh("custom");
        WordModel model = new WordModel();
        try (ParallelRag rag = ParallelRag.builder(index).embeddingModel(model).build()) {
            rag.ingest(List.of(docs));
        }
        try (ParallelRag rag = ParallelRag.open(index)) {
            assertThat(rag.manifest().orElseThrow().embedder().kind()).isEqualTo(EmbedderSpec.CUSTOM);
            assertThat(rag.search("tariffs", 2, SearchMode.KEYWORD)).hasSize(2); // no model needed for keywords
            assertThatThrownBy(() -> rag.search("tariffs", 2, SearchMode.VECTOR)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("embeddingModel(model)");
        }
        try (ParallelRag rag = ParallelRag.builder(index).embeddingModel(model).build()) {
            assertThat(rag.search("tariffs", 2, SearchMode.VECTOR)).hasSize(2);
        }
        assertThat(model.closed).isFalse(); // the caller's to close
    }

    @Test
    void aSplitterOfYourOwnMustBeGivenAgainForTheNextIngest() {
        Path index = fresh("own-splitter");
        dev.parallelrag.split.TextSplitter own = document -> Splitters.character(200, 0).split(document);
        try (ParallelRag rag = openAi(index).splitter(own).build()) {
            rag.ingest(List.of(docs));
        }
        try (ParallelRag rag = ParallelRag.builder(index).environment(env).build()) {
            assertThat(rag.manifest().orElseThrow().splitter()).isEmpty();
            assertThatThrownBy(() -> rag.ingest(List.of(docs))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("give the splitter");
        }
    }

    /** Flips one byte in the middle of the largest segment file; returns its name. */
    static String damageLargestSegment(Path index) throws IOException {
        Path segment;
        try (var files = Files.list(index)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".cfs"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(segment, bytes);
        return segment.getFileName().toString();
    }

    @Test
    void rebuildEmptiesADamagedIndexAndIngestsItAgainWithTheRecordedSettingsAndCache() throws IOException {
        Path index = fresh("rebuild");
        SplitterSpec splitter = SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).chunkSize(300).build();
        long chunks;
        List<String> hits;
        try (ParallelRag rag = openAi(index).splitter(splitter).build()) {
            chunks = rag.ingest(List.of(docs)).chunksAdded();
            hits = rag.search("slave trade", 3, SearchMode.HYBRID).stream().map(SearchHit::chunkId).toList();
        }
        String damaged = damageLargestSegment(index);
        assertThat(ParallelRag.verify(index).problems()).extracting(IntegrityReport.Problem::subject).containsExactly(damaged);
        assertThatThrownBy(() -> {
            try (ParallelRag rag = ParallelRag.builder(index).environment(env).build()) {
                rag.ingest(List.of(docs));
            }
        }).isInstanceOf(IndexCorruptException.class).hasMessageContaining(damaged).hasMessageContaining("rebuild(true)");

        server.reset();
        try (ParallelRag rag = ParallelRag.builder(index).environment(env).rebuild(true).build()) {
            IngestSummary rebuilt = rag.ingest(List.of(docs));
            assertThat(rebuilt.chunksAdded()).isEqualTo(chunks);
            assertThat(rebuilt.chunksSkipped()).as("nothing of the damaged index was kept").isZero();
            assertThat(rag.manifest().orElseThrow().splitter()).as("the recorded splitter, not given again").contains(splitter);
            assertThat(rag.search("slave trade", 3, SearchMode.HYBRID).stream().map(SearchHit::chunkId).toList()).isEqualTo(hits);
        }
        assertThat(server.requestCount(EMBEDDINGS)).as("chunks from the embedding cache; only the query was embedded").isEqualTo(1);
        IntegrityReport report = ParallelRag.verify(index);
        assertThat(report.intact()).isTrue();
        assertThat(report.chunks()).isEqualTo(chunks);
    }

    @Test
    void aRebuildMayChooseAnotherEmbedderForAnIndexThatHoldsChunks() {
        Path index = fresh("rebuild-model");
        try (ParallelRag rag = openAi(index).build()) {
            rag.ingest(List.of(docs));
        }
        WordModel model = new WordModel();
        assertThatThrownBy(() -> ParallelRag.builder(index).embeddingModel(model).build()).isInstanceOf(ValidationException.class);
        try (ParallelRag rag = ParallelRag.builder(index).embeddingModel(model).rebuild(true).build()) {
            rag.ingest(List.of(docs));
            assertThat(rag.manifest().orElseThrow().embedder().modelId()).isEqualTo("test/words");
            assertThat(rag.search("tariffs", 2, SearchMode.VECTOR)).hasSize(2);
        }
    }

    @Test
    void verifyReportsChunksThatNoManifestDescribes() {
        Path index = fresh("no-manifest");
        VectorStoreProvider lucene = ServiceLoader.load(VectorStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.kind().equals("lucene")).findFirst().orElseThrow();
        try (VectorStore store = lucene.open(StoreLocation.directory(index), false)) {
            store.upsert(List.of(new StoredChunk("c1", "d1", "d1", 0, 5, "hello", "h", "m", Map.of(), new float[] {1, 0})));
        }
        IntegrityReport report = ParallelRag.verify(index);
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo(IntegrityReport.Problem.MANIFEST);
            assertThat(p.description()).contains("records no embedder for the 1 chunks");
        });
        assertThatThrownBy(() -> ParallelRag.verify(fresh("nothing"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("no index at");
    }

    /** A word-hashing model of the test's own: not something the index can rebuild by name. */
    private static final class WordModel implements EmbeddingModel {
        volatile boolean closed;

        @Override
        public String modelId() {
            return "test/words";
        }

        @Override
        public int dimension() {
            return 16;
        }

        @Override
        public int maxBatchSize() {
            return 32;
        }

        @Override
        public int maxBatchTokens() {
            return 100_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            return texts.stream().map(t -> {
                float[] v = new float[16];
                for (String w : t.toLowerCase().split("\\W+")) {
                    v[Math.floorMod(w.hashCode(), 16)] += 1;
                }
                v[0] += 0.01f;
                return v;
            }).toList();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
