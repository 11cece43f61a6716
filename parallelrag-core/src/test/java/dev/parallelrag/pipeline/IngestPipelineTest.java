package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestPipelineTest {

    @TempDir
    Path dir;

    private final ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build());
    private final HashingEmbeddingModel model = new HashingEmbeddingModel(64);
    private Path corpus;

    @BeforeEach
    void copySample() throws IOException {
        corpus = dir.resolve("corpus");
        Files.createDirectories(corpus.resolve("sub"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            List<Path> list = files.sorted().toList();
            for (int i = 0; i < list.size(); i++) {
                Path target = i % 2 == 0 ? corpus.resolve(list.get(i).getFileName()) : corpus.resolve("sub").resolve(list.get(i).getFileName());
                Files.copy(list.get(i), target);
            }
        }
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private IngestConfig.Builder config() {
        return IngestConfig.builder(Splitters.recursive(500, 50)).batchSize(16);
    }

    @Test
    void batchesAreAsLargeAsTheEmbedderTakesUnlessToldSmaller() {
        new IngestPipeline(IngestConfig.builder(Splitters.recursive(100, 0)).build(), model, new InMemoryVectorStore(),
                runtime).run(List.of(corpus), e -> { });
        assertThat(model.largestCall.get()).as("default: the embedder's own limit").isEqualTo(model.maxBatchSize());
        HashingEmbeddingModel small = new HashingEmbeddingModel(64);
        new IngestPipeline(IngestConfig.builder(Splitters.recursive(100, 0)).batchSize(5).build(), small,
                new InMemoryVectorStore(), runtime).run(List.of(corpus), e -> { });
        assertThat(small.largestCall.get()).isEqualTo(5);
    }

    @Test
    void aBatchSizeOrTokenBudgetAboveTheEmbeddersLimitIsRefusedNotCapped() {
        IngestConfig tooMany = IngestConfig.builder(Splitters.recursive(500, 50)).batchSize(128).build();
        assertThatThrownBy(() -> new IngestPipeline(tooMany, model, new InMemoryVectorStore(), runtime))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("batchSize").hasMessageContaining("128").hasMessageContaining("32 texts")
                .hasMessageContaining(model.modelId()).hasMessageContaining("leave batchSize unset");
        IngestConfig tooLong = IngestConfig.builder(Splitters.recursive(500, 50)).batchTokens(200_000).build();
        assertThatThrownBy(() -> new IngestPipeline(tooLong, model, new InMemoryVectorStore(), runtime))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("batchTokens").hasMessageContaining("100000 tokens");
        assertThat(model.calls.get()).isZero();
    }

    private IngestSummary ingest(VectorStore store, IngestConfig config, List<IngestEvent> events) {
        return new IngestPipeline(config, model, store, runtime).run(List.of(corpus), events::add);
    }

    private static Set<String> allIds(VectorStore store) {
        Set<String> ids = new TreeSet<>();
        store.documentIds().forEach(d -> ids.addAll(store.chunkIds(d)));
        return ids;
    }

    @Test
    void ingestsEveryFileAndReRunAddsNothing() {
        InMemoryVectorStore store = new InMemoryVectorStore();
        List<IngestEvent> events = new ArrayList<>();
        IngestSummary first = ingest(store, config().build(), events);
        assertThat(first.files()).isEqualTo(5);
        assertThat(first.documentsIngested()).isEqualTo(5);
        assertThat(first.chunksAdded()).isEqualTo(store.count()).isPositive();
        assertThat(first.allSucceeded()).isTrue();
        assertThat(events.get(0)).isInstanceOf(IngestEvent.Started.class);
        assertThat(events.get(events.size() - 1)).isInstanceOf(IngestEvent.Finished.class);
        assertThat(store.indexMetadata()).containsKey(IngestPipeline.LAST_INGEST_KEY);

        long embeddedBefore = model.textsEmbedded.get();
        IngestSummary second = ingest(store, config().build(), new ArrayList<>());
        assertThat(second.chunksAdded()).isZero();
        assertThat(second.chunksSkipped()).isEqualTo(first.chunksAdded());
        assertThat(second.documentsUnchanged()).isEqualTo(5);
        assertThat(model.textsEmbedded.get()).isEqualTo(embeddedBefore);
        assertThat(store.count()).isEqualTo(first.chunksAdded());
    }

    @Test
    void parallelAndSequentialRunsBuildTheSameIndex() {
        InMemoryVectorStore parallel = new InMemoryVectorStore();
        ingest(parallel, config().embedConcurrency(4).documentWindow(8).build(), new ArrayList<>());
        InMemoryVectorStore sequential = new InMemoryVectorStore();
        ingest(sequential, config().embedConcurrency(1).documentWindow(1).batchSize(1).build(), new ArrayList<>());
        assertThat(allIds(parallel)).isEqualTo(allIds(sequential)).isNotEmpty();
    }

    @Test
    void changedFileReplacesItsChunksAndPruneRemovesDeletedFiles() throws IOException {
        InMemoryVectorStore store = new InMemoryVectorStore();
        ingest(store, config().build(), new ArrayList<>());
        Path changed;
        try (Stream<Path> s = Files.list(corpus)) {
            changed = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        String id = corpus.resolve(changed.getFileName()).toString();
        Set<String> before = store.chunkIds(id);
        Files.writeString(changed, "A brand new text about railways and canals.\n\nSecond paragraph on tariffs.");
        IngestSummary summary = ingest(store, config().build(), new ArrayList<>());
        assertThat(summary.documentsIngested()).isEqualTo(1);
        assertThat(summary.documentsUnchanged()).isEqualTo(4);
        assertThat(summary.chunksRemoved()).isEqualTo(before.size());
        Set<String> after = store.chunkIds(id);
        assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);

        // the same final state as a fresh ingest of the current files
        InMemoryVectorStore fresh = new InMemoryVectorStore();
        ingest(fresh, config().build(), new ArrayList<>());
        assertThat(allIds(store)).isEqualTo(allIds(fresh));

        Path deleted = corpus.resolve("sub").resolve(Files.list(corpus.resolve("sub")).sorted().findFirst().orElseThrow().getFileName());
        String deletedId = deleted.toString();
        Files.delete(deleted);
        IngestSummary noPrune = ingest(store, config().build(), new ArrayList<>());
        assertThat(noPrune.documentsPruned()).isZero();
        assertThat(store.documentIds()).contains(deletedId);
        IngestSummary pruned = ingest(store, config().prune(true).build(), new ArrayList<>());
        assertThat(pruned.documentsPruned()).isEqualTo(1);
        assertThat(store.documentIds()).doesNotContain(deletedId).hasSize(4);
    }

    @Test
    void changingSplitterSettingsReindexes() {
        InMemoryVectorStore store = new InMemoryVectorStore();
        ingest(store, config().build(), new ArrayList<>());
        Set<String> before = allIds(store);
        IngestSummary summary = ingest(store, IngestConfig.builder(Splitters.recursive(800, 0)).build(), new ArrayList<>());
        assertThat(summary.documentsIngested()).isEqualTo(5);
        assertThat(allIds(store)).doesNotContainAnyElementsOf(before).hasSize((int) store.count());
    }

    @Test
    void embeddingFailureFailsOnlyThatDocumentAndKeepsItsOldVersion() throws IOException {
        InMemoryVectorStore store = new InMemoryVectorStore();
        ingest(store, config().build(), new ArrayList<>());
        Path victim = corpus.resolve("sub").resolve(Files.list(corpus.resolve("sub")).sorted().findFirst().orElseThrow().getFileName());
        Set<String> oldIds = store.chunkIds(victim.toString());
        Files.writeString(victim, ("POISON paragraph number one. ".repeat(30) + "\n\n").repeat(6));
        EmbeddingModel poisoned = new EmbeddingModel() {
            @Override public String modelId() { return model.modelId(); }
            @Override public int dimension() { return model.dimension(); }
            @Override public int maxBatchSize() { return 4; }
            @Override public int maxBatchTokens() { return 100_000; }
            @Override public List<float[]> embedBatch(List<String> texts) {
                if (texts.stream().anyMatch(t -> t.contains("POISON"))) {
                    throw new IllegalStateException("provider failed after retries");
                }
                return model.embedBatch(texts);
            }
        };
        IngestSummary summary = new IngestPipeline(config().batchSize(4).build(), poisoned, store, runtime).run(List.of(corpus), e -> { });
        assertThat(summary.documentsFailed()).isEqualTo(1);
        assertThat(summary.failures()).singleElement().satisfies(f -> {
            assertThat(f.source()).isEqualTo(victim.toString());
            assertThat(f.stage()).isEqualTo("embed");
            assertThat(f.message()).contains("provider failed");
        });
        assertThat(store.chunkIds(victim.toString())).isEqualTo(oldIds);
        assertThat(store.documentIds()).hasSize(5);
    }

    @Test
    void hitsCarryLineRangesAndCodePointOffsets() throws IOException {
        Path file = corpus.resolve("emoji.txt");
        Files.writeString(file, "line one 🎉 here\nline two about canals\n\nline four about canals too\n");
        InMemoryVectorStore store = new InMemoryVectorStore();
        new IngestPipeline(IngestConfig.builder(Splitters.recursive(30, 0)).build(), model, store, runtime)
                .run(List.of(file), e -> { });
        List<SearchHit> hits = store.search(model.embed("line four about canals too"), 1);
        SearchHit hit = hits.get(0);
        assertThat(hit.text()).isEqualTo("line four about canals too");
        assertThat(hit.metadata()).containsEntry("line_start", "4").containsEntry("line_end", "4");
        String text = Files.readString(file);
        int cpStart = Integer.parseInt(hit.metadata().get("cp_start"));
        assertThat(text.codePoints().skip(cpStart).limit(hit.text().codePointCount(0, hit.text().length()))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()).isEqualTo(hit.text());
        assertThat(cpStart).isEqualTo(hit.start() - 1); // one emoji = 2 UTF-16 units, 1 code point
    }

    @Test
    void badArgumentsAreValidationErrors() {
        IngestPipeline pipeline = new IngestPipeline(config().build(), model, new InMemoryVectorStore(), runtime);
        assertThatThrownBy(() -> pipeline.run(List.of(), e -> { })).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> config().batchSize(-1).build()).isInstanceOf(ValidationException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> IngestConfig.builder(null, "x").build()).isInstanceOf(ValidationException.class);
    }
}
