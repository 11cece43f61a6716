package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.metrics.GenAiMetrics;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's meters follow its runs: documents and chunks by outcome, failures, stage times, queue depth. */
class IngestMetersTest {

    @TempDir
    Path dir;

    private final ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestMeters meters = new IngestMeters(registry);

    @AfterEach
    void close() {
        runtime.close();
    }

    private Path corpus(int files) throws IOException {
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus);
        for (int i = 0; i < files; i++) {
            Files.writeString(corpus.resolve("doc" + i + ".txt"), ("Document " + i + " talks about topic " + i + ". ")
                    .repeat(40));
        }
        return corpus;
    }

    private IngestSummary run(IngestPipeline pipeline, Path corpus, List<Long> depths) {
        try (IngestMeters.Run run = meters.start(e -> depths.add(meters.queueDepth()))) {
            return pipeline.run(List.of(corpus), run);
        }
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void documentsChunksFailuresAndStagesAreCountedAsTheRunGoes() throws IOException {
        Path corpus = corpus(4);
        Files.write(corpus.resolve("broken.txt"), new byte[] {'a', (byte) 0xC3, (byte) 0x28, 'b'}); // invalid UTF-8
        InMemoryVectorStore store = new InMemoryVectorStore();
        IngestPipeline pipeline = new IngestPipeline(IngestConfig.builder(Splitters.recursive(200, 0)).batchSize(4)
                .build(), new HashingEmbeddingModel(32), store, runtime);
        List<Long> depths = new ArrayList<>();

        IngestSummary first = run(pipeline, corpus, depths);

        assertThat(first.documentsIngested()).isEqualTo(4);
        assertThat(count(IngestMeters.DOCUMENTS, "outcome", "ingested")).isEqualTo(4);
        assertThat(count(IngestMeters.DOCUMENTS, "outcome", "failed")).isEqualTo(1);
        assertThat(count(IngestMeters.CHUNKS, "outcome", "added")).isEqualTo(first.chunksAdded()).isPositive();
        FileFailure failure = first.failures().getFirst();
        assertThat(count(IngestMeters.FAILURES, "stage", failure.stage(), GenAiMetrics.ERROR_TYPE,
                GenAiMetrics.errorType(failure.kind()))).isEqualTo(1);
        for (String stage : first.stageTimes().keySet()) {
            assertThat(registry.get(IngestMeters.STAGE_DURATION).tag("stage", stage).timer().totalTime(TimeUnit.NANOSECONDS))
                    .as(stage).isEqualTo((double) first.stageTimes().get(stage).toNanos());
        }
        assertThat(registry.get(IngestMeters.RUN_DURATION).timer().count()).isEqualTo(1);
        assertThat(depths).as("documents wait between planning and writing").anyMatch(d -> d > 0);
        assertThat(meters.queueDepth()).isZero();
        assertThat(registry.get(IngestMeters.QUEUE_DEPTH).gauge().value()).isZero();

        IngestSummary second = run(pipeline, corpus, new ArrayList<>());

        assertThat(count(IngestMeters.DOCUMENTS, "outcome", "unchanged")).isEqualTo(4);
        assertThat(count(IngestMeters.CHUNKS, "outcome", "skipped")).isEqualTo(second.chunksSkipped()).isPositive();
        assertThat(count(IngestMeters.DOCUMENTS, "outcome", "ingested")).isEqualTo(4);
    }

    @Test
    void aRunThatThrowsLeavesNothingQueued() throws IOException {
        Path corpus = corpus(6);
        EmbeddingModel closed = new EmbeddingModel() {
            @Override
            public String modelId() {
                return "test/closed";
            }

            @Override
            public int dimension() {
                return 8;
            }

            @Override
            public int maxBatchSize() {
                return 8;
            }

            @Override
            public int maxBatchTokens() {
                return 10_000;
            }

            @Override
            public List<float[]> embedBatch(List<String> texts) {
                throw new ClosedException("the model was closed");
            }

            @Override
            public void close() {
            }
        };
        IngestPipeline pipeline = new IngestPipeline(IngestConfig.builder(Splitters.recursive(200, 0)).build(), closed,
                new InMemoryVectorStore(), runtime);
        List<Long> depths = new ArrayList<>();

        assertThatThrownBy(() -> run(pipeline, corpus, depths)).isInstanceOf(ClosedException.class);

        assertThat(depths).anyMatch(d -> d > 0);
        assertThat(meters.queueDepth()).as("closing the run's listener takes its documents off").isZero();
    }
}
