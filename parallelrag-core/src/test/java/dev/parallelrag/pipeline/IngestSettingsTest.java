package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.model.Document;
import dev.parallelrag.read.DocumentReader;
import dev.parallelrag.read.ReaderRegistry;
import dev.parallelrag.runtime.InFlightProbe;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each {@link IngestConfig} setting, set to a value other than its default, changes what an ingest does
 * (files taken, reader used, embedding calls in flight and their size, commits). Rows of
 * docs/configuration.md name these. The corpus: the five sample speeches, three at the top, two in {@code sub/}.
 */
class IngestSettingsTest {

    @TempDir
    Path dir;

    private final ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build());
    private Path corpus;

    @BeforeEach
    void copySample() throws IOException {
        corpus = dir.resolve("corpus");
        Files.createDirectories(corpus.resolve("sub"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            List<Path> list = files.sorted().toList();
            for (int i = 0; i < list.size(); i++) {
                Path parent = i < 3 ? corpus : corpus.resolve("sub");
                Files.copy(list.get(i), parent.resolve(list.get(i).getFileName()));
            }
        }
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private static IngestConfig.Builder config() {
        return IngestConfig.builder(Splitters.recursive(500, 50));
    }

    private IngestSummary ingest(IngestConfig config, EmbeddingModel model, List<IngestEvent> events) {
        return new IngestPipeline(config, model, new InMemoryVectorStore(), runtime)
                .run(List.of(corpus), events::add);
    }

    private IngestSummary ingest(IngestConfig config) {
        return ingest(config, new HashingEmbeddingModel(32), new ArrayList<>());
    }

    /** A hashing model whose calls are counted and probed for overlap. */
    private static final class ProbedModel implements EmbeddingModel {
        final HashingEmbeddingModel hashing = new HashingEmbeddingModel(32);
        final InFlightProbe probe;
        final AtomicInteger calls = new AtomicInteger();

        ProbedModel(int lingerFor) {
            this.probe = new InFlightProbe(lingerFor);
        }

        @Override
        public String modelId() {
            return hashing.modelId();
        }

        @Override
        public int dimension() {
            return hashing.dimension();
        }

        @Override
        public int maxBatchSize() {
            return hashing.maxBatchSize();
        }

        @Override
        public int maxBatchTokens() {
            return hashing.maxBatchTokens();
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            calls.incrementAndGet();
            probe.enter();
            return hashing.embedBatch(texts);
        }
    }

    @Test
    void includeTakesOnlyMatchingFiles() {
        assertThat(ingest(config().build()).files()).isEqualTo(5);
        assertThat(ingest(config().include(List.of("sub/**")).build()).files()).isEqualTo(2);
    }

    @Test
    void excludeSkipsMatchingFiles() {
        assertThat(ingest(config().exclude(List.of("sub/**")).build()).files()).isEqualTo(3);
    }

    @Test
    void includeHiddenTakesDotFiles() throws IOException {
        Files.writeString(corpus.resolve(".notes.txt"), "A hidden note about the union and its tariffs.");
        assertThat(ingest(config().build()).files()).isEqualTo(5);
        assertThat(ingest(config().includeHidden(true).build()).files()).isEqualTo(6);
    }

    @Test
    void readersDecideHowFilesAreRead() {
        DocumentReader marker = new DocumentReader() {
            @Override
            public String name() {
                return "marker";
            }

            @Override
            public Set<String> extensions() {
                return Set.of("txt");
            }

            @Override
            public Document read(Path path, String documentId) {
                return new Document(documentId, "read by the marker reader: " + path.getFileName());
            }
        };
        InMemoryVectorStore store = new InMemoryVectorStore();
        new IngestPipeline(config().readers(ReaderRegistry.builder().register(marker).build()).build(),
                new HashingEmbeddingModel(32), store, runtime).run(List.of(corpus), e -> { });

        List<String> texts = store.search(new HashingEmbeddingModel(32).embed("marker"), 100).stream()
                .map(h -> h.text()).toList();
        assertThat(store.count()).isEqualTo(5);
        assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("read by the marker reader: "));
    }

    /** A reader that counts the files it has read, each file one short document (one chunk). */
    private static final class CountingReader implements DocumentReader {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Set<String> extensions() {
            return Set.of("txt");
        }

        @Override
        public Document read(Path path, String documentId) {
            reads.incrementAndGet();
            return new Document(documentId, "a short document named " + path.getFileName());
        }
    }

    /** A model whose every call waits until the test opens the gate. */
    private static final class GatedModel implements EmbeddingModel {
        final HashingEmbeddingModel hashing = new HashingEmbeddingModel(32);
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public String modelId() {
            return hashing.modelId();
        }

        @Override
        public int dimension() {
            return hashing.dimension();
        }

        @Override
        public int maxBatchSize() {
            return hashing.maxBatchSize();
        }

        @Override
        public int maxBatchTokens() {
            return hashing.maxBatchTokens();
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return hashing.embedBatch(texts);
        }
    }

    /** How many of 30 files are read while the embedder holds its first batch. */
    private int readAheadWhileTheEmbedderWaits(int documentWindow) throws Exception {
        Path many = Files.createDirectories(dir.resolve("many-" + documentWindow));
        for (int i = 0; i < 30; i++) {
            Files.writeString(many.resolve(String.format("f%02d.txt", i)), "file " + i);
        }
        CountingReader reader = new CountingReader();
        GatedModel model = new GatedModel();
        IngestConfig config = config().readers(ReaderRegistry.builder().register(reader).build()).batchSize(1)
                .embedConcurrency(1).documentWindow(documentWindow).build();
        try (ExecutorService ingest = Executors.newSingleThreadExecutor()) {
            Future<IngestSummary> run = ingest.submit(() -> new IngestPipeline(config, model,
                    new InMemoryVectorStore(), runtime).run(List.of(many), e -> { }));
            int seen = -1;
            while (seen != reader.reads.get()) { // settled: nothing more is read while the embedder waits
                seen = reader.reads.get();
                Thread.sleep(300);
            }
            model.gate.countDown();
            assertThat(run.get(30, TimeUnit.SECONDS).documentsIngested()).isEqualTo(30);
            return seen;
        }
    }

    @Test
    void documentWindowIsHowFarReadingRunsAheadOfTheEmbedder() throws Exception {
        int narrow = readAheadWhileTheEmbedderWaits(1);
        int wide = readAheadWhileTheEmbedderWaits(12);
        assertThat(narrow).as("window 1: the document being embedded and the few the stages hold").isLessThan(8);
        assertThat(wide).as("window 12").isGreaterThanOrEqualTo(12);
    }

    @Test
    void embedConcurrencyIsTheNumberOfEmbeddingCallsInFlight() {
        ProbedModel model = new ProbedModel(3);
        IngestSummary summary = ingest(config().batchSize(4).embedConcurrency(3).build(), model, new ArrayList<>());
        assertThat(summary.allSucceeded()).isTrue();
        assertThat(model.probe.peak()).isEqualTo(3);
    }

    @Test
    void batchTokensBoundsTheTextPerEmbeddingCall() {
        ProbedModel roomy = new ProbedModel(1);
        ProbedModel tight = new ProbedModel(1);
        ingest(config().batchSize(32).build(), roomy, new ArrayList<>());
        ingest(config().batchSize(32).batchTokens(300).build(), tight, new ArrayList<>());
        assertThat(tight.calls.get()).as("calls with a 300-token budget vs the default")
                .isGreaterThan(2 * roomy.calls.get());
    }

    @Test
    void commitEveryChunksCommitsAtTheFirstDocumentBoundaryAfterThatMany() {
        assertThat(commits(config().build())).as("default: only the final commit").isEqualTo(1);
        assertThat(commits(config().commitEveryChunks(10).build())).as("one per document, then the final one")
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void commitIntervalCommitsAtTheFirstDocumentBoundaryAfterThatLong() {
        assertThat(commits(config().commitInterval(Duration.ofNanos(1)).build())).isGreaterThanOrEqualTo(5);
    }

    private long commits(IngestConfig config) {
        List<IngestEvent> events = new ArrayList<>();
        ingest(config, new HashingEmbeddingModel(32), events);
        return events.stream().filter(e -> e instanceof IngestEvent.Committed).count();
    }
}
