package dev.parallelrag.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.Health;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.DeploymentSize;
import dev.parallelrag.runtime.Sizing;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.split.TextSplitter;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Latency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each value of each {@link DeploymentSize} takes effect in a running engine, seen where it acts: the documents split
 * at once on the CPU pool, the documents read ahead, the embedding requests of an ingest at the provider and the
 * query embeddings at the provider, the provider being the testkit on loopback. Lives here because the server is what
 * runs an engine at a size, and its tests have a store and the provider wire formats at hand.
 */
class EngineSizingTest {

    private static final String EMBEDDINGS = "/embeddings";

    private static FakeProviderServer provider;
    private static Map<String, String> env;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        provider = FakeProviderServer.builder().dimension(16).start();
        env = Map.of("OPENAI_BASE_URL", provider.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    @BeforeEach
    void reset() {
        provider.latency(Latency.none());
        provider.reset();
    }

    private ParallelRag.Builder engine() {
        return ParallelRag.builder(dir.resolve("index")).embedder("openai", "text-embedding-3-small")
                .environment(env::get).embeddingCache(false);
    }

    @ParameterizedTest
    @EnumSource(DeploymentSize.class)
    void eachSizeSetsTheCpuThreadsThatSplitDocumentsAtOnce(DeploymentSize size) {
        int workers = size.workers();
        GatedSplitter splitter = new GatedSplitter(workers);

        try (ParallelRag rag = engine().size(size).splitter(splitter).build()) {
            ingest(rag, 4 * workers);
        }

        assertThat(splitter.peak()).as("documents split at once by a CPU pool of " + workers).isEqualTo(workers);
    }

    @ParameterizedTest
    @EnumSource(DeploymentSize.class)
    void eachSizeSetsHowManyDocumentsAnIngestReadsAheadOfTheEmbedder(DeploymentSize size) {
        int window = 2 * size.workers();
        GatedSplitter splitter = new GatedSplitter(window);
        // a pool larger than the window, so that the window is what bounds the documents in work at once
        Sizing sizing = Sizing.builder(size).cpuPoolSize(2 * window).build();

        try (ParallelRag rag = engine().sizing(sizing).splitter(splitter).build()) {
            ingest(rag, 3 * window);
        }

        assertThat(splitter.peak()).as("documents in work at once with a window of " + window).isEqualTo(window);
    }

    @Test
    void aCpuPoolSizeSetWithASizeIsThePoolThatRuns() {
        GatedSplitter splitter = new GatedSplitter(3);

        try (ParallelRag rag = engine().sizing(Sizing.builder(DeploymentSize.MEDIUM).cpuPoolSize(3).build())
                .splitter(splitter).build()) {
            ingest(rag, 40);
        }

        assertThat(splitter.peak()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(DeploymentSize.class)
    void eachSizeSetsTheEmbeddingRequestsAnIngestHasInFlightAtTheProvider(DeploymentSize size) {
        int inFlight = size.blockingThreads() * 3 / 4;
        provider.latency(Latency.fixed(Duration.ofMillis(800)));

        try (ParallelRag rag = engine().size(size).build()) {
            // one chunk per document, and at most 64 documents per request: enough for twice the requests in flight
            IngestSummary summary = ingest(rag, 64 * 2 * inFlight);
            assertThat(summary.failures()).isEmpty();
        }

        assertThat(provider.maxInFlight()).as("embedding requests in flight at the provider (unsized: the remote"
                + " embedder's preference of 4)").isEqualTo(inFlight);
    }

    /**
     * The query embeddings of searches at once stop at the size's I/O permits. The large size's 64 is also the remote
     * client's own bound, so for it this shows the value, not that it is applied; the small and medium sizes and
     * {@link #anIoConcurrencySetWithASizeIsTheBoundAtTheProvider} show that.
     */
    @ParameterizedTest
    @EnumSource(DeploymentSize.class)
    void eachSizeSetsTheQueryEmbeddingsInFlightAtTheProvider(DeploymentSize size) throws Exception {
        assertThat(searchesAtOnce(engine().size(size), 2 * size.blockingThreads())).isEqualTo(size.blockingThreads());
    }

    @Test
    void anIoConcurrencySetWithASizeIsTheBoundAtTheProvider() throws Exception {
        Sizing sizing = Sizing.builder(DeploymentSize.SMALL).ioConcurrency(12).build();

        assertThat(searchesAtOnce(engine().sizing(sizing), 30)).isEqualTo(12);
    }

    @Test
    void withoutASizeTheRemoteClientKeepsItsOwnBound() throws Exception {
        assertThat(engine().build().sizing()).isEqualTo(Sizing.machine());
        assertThat(searchesAtOnce(engine(), 80)).isEqualTo(ResilienceConfig.DEFAULT_MAX_CONCURRENCY);
    }

    @Test
    void healthShowsTheSizingBeforeThePoolStarts() {
        try (ParallelRag rag = engine().size(DeploymentSize.LARGE).build()) {
            Health runtime = rag.health().components().stream().filter(h -> h.component().equals("runtime")).findFirst()
                    .orElseThrow();

            assertThat(runtime.reason()).contains("CPU pool of 32 threads");
            assertThat(runtime.details()).containsEntry("size", "large").containsEntry("cpu_pool_size", 32)
                    .containsEntry("io_concurrency", 64).containsEntry("embed_concurrency", 48)
                    .containsEntry("document_window", 64);
        }
    }

    @Test
    void aSizeAndASizingTogetherAreRefused() {
        ParallelRag.Builder both = engine().size(DeploymentSize.SMALL).sizing(Sizing.machine());

        assertThatThrownBy(both::build).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.field()).isEqualTo("size");
            assertThat(e.getMessage()).contains("give one of them").contains("Sizing.builder(DeploymentSize.SMALL)");
        });
    }

    @Test
    void ioPermitsThatDisagreeWithTheEmbeddersResilienceAreRefused() {
        ResilienceConfig resilience = ResilienceConfig.builder().maxConcurrency(10).build();

        assertThatThrownBy(() -> engine().size(DeploymentSize.SMALL).embedderResilience(resilience).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("ioConcurrency");
                    assertThat(e.getMessage()).contains("maxConcurrency (10)").contains("set both to the same value");
                });
        Sizing agreeing = Sizing.builder(DeploymentSize.SMALL).ioConcurrency(10).build();
        try (ParallelRag rag = engine().sizing(agreeing).embedderResilience(resilience).build()) {
            assertThat(rag.sizing().ioConcurrency()).isEqualTo(10);
        }
    }

    /** The most query embeddings at the provider at once, with {@code searches} searches started together. */
    private int searchesAtOnce(ParallelRag.Builder builder, int searches) throws Exception {
        try (ParallelRag rag = builder.build()) {
            ingest(rag, 1);
            provider.reset();
            provider.latency(Latency.fixed(Duration.ofMillis(500)));
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < searches; i++) {
                    String query = "question number " + i;
                    running.add(threads.submit(() -> rag.search(query, 1, SearchMode.VECTOR)));
                }
                for (Future<?> f : running) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(provider.requestCount(EMBEDDINGS)).isEqualTo(searches);
            return provider.maxInFlight();
        }
    }

    private static IngestSummary ingest(ParallelRag rag, int documents) {
        List<IngestItem> items = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            items.add(IngestItem.text(new Document("doc-" + i, "Document number " + i + " says one short thing.")));
        }
        return rag.ingestItems(items, IngestOptions.defaults());
    }

    /**
     * The default splitter, holding each call until {@code expected} calls are inside at once (or 5 s have passed),
     * so that the most calls seen at once is the bound of the threads that run them, not an accident of timing.
     */
    private static final class GatedSplitter implements TextSplitter {
        private final TextSplitter delegate = SplitterSpec.defaults().create();
        private final int expected;
        private final AtomicInteger inside = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();
        private final CountDownLatch gate = new CountDownLatch(1);

        GatedSplitter(int expected) {
            this.expected = expected;
        }

        @Override
        public List<Chunk> split(Document document) {
            int now = inside.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                if (now >= expected) {
                    gate.countDown();
                }
                if (!gate.await(5, TimeUnit.SECONDS)) {
                    gate.countDown(); // fewer threads than expected: let the rest through, the peak says so
                }
                return delegate.split(document);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inside.decrementAndGet();
            }
        }

        int peak() {
            return peak.get();
        }

        @Override
        public String toString() {
            return "gated:" + delegate;
        }
    }
}
