package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.metrics.GenAiMetrics;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        meters.close();
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

    private IngestPipeline pipeline(EmbeddingModel model, IngestConfig.Builder config) {
        return new IngestPipeline(config.build(), model, new InMemoryVectorStore(), runtime, meters);
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double depth(String queue) {
        return registry.get(IngestMeters.QUEUE_DEPTH).tag("queue", queue).gauge().value();
    }

    @Test
    void documentsChunksFailuresAndStagesAreCountedAsTheRunGoes() throws IOException {
        Path corpus = corpus(4);
        Files.write(corpus.resolve("broken.txt"), new byte[] {'a', (byte) 0xC3, (byte) 0x28, 'b'}); // invalid UTF-8
        IngestPipeline pipeline = pipeline(new HashingEmbeddingModel(32),
                IngestConfig.builder(Splitters.recursive(200, 0)).batchSize(4));

        IngestSummary first = pipeline.run(List.of(corpus), IngestListener.NONE);

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
        assertThat(depth(IngestMeters.PLAN_QUEUE)).isZero();
        assertThat(depth(IngestMeters.EMBED_QUEUE)).isZero();

        IngestSummary second = pipeline.run(List.of(corpus), IngestListener.NONE);

        assertThat(count(IngestMeters.DOCUMENTS, "outcome", "unchanged")).isEqualTo(4);
        assertThat(count(IngestMeters.CHUNKS, "outcome", "skipped")).isEqualTo(second.chunksSkipped()).isPositive();
        assertThat(count(IngestMeters.DOCUMENTS, "outcome", "ingested")).isEqualTo(4);
        assertThat(count(IngestMeters.DOCUMENTS, "outcome", "failed")).isEqualTo(2);
    }

    @Test
    void theQueueDepthGaugeShowsTheBatchesInTheEmbedWindowWhileTheEmbedderIsSlow() throws Exception {
        Path corpus = corpus(12);
        PacedEmbeddingModel slow = new PacedEmbeddingModel(16, 2, Duration.ZERO);
        slow.holdCalls();
        IngestPipeline pipeline = pipeline(slow, IngestConfig.builder(Splitters.recursive(200, 0)).embedConcurrency(2)
                .documentWindow(3));

        CompletableFuture<IngestSummary> run = CompletableFuture.supplyAsync(
                () -> pipeline.run(List.of(corpus), IngestListener.NONE));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (slow.waiting() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(slow.waiting()).as("both embedding calls are held").isEqualTo(2);

            assertThat(depth(IngestMeters.EMBED_QUEUE)).as("the held batches and those pulled behind them")
                    .isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(4);
            assertThat(depth(IngestMeters.PLAN_QUEUE)).as("the documents planned ahead").isLessThanOrEqualTo(3);
            assertThat(meters.queueDepth(IngestMeters.EMBED_QUEUE)).isEqualTo((long) depth(IngestMeters.EMBED_QUEUE));
        } finally {
            slow.open();
        }
        assertThat(run.get(60, TimeUnit.SECONDS).documentsIngested()).isEqualTo(12);
        assertThat(depth(IngestMeters.EMBED_QUEUE)).isZero();
        assertThat(depth(IngestMeters.PLAN_QUEUE)).isZero();
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
        IngestPipeline pipeline = pipeline(closed, IngestConfig.builder(Splitters.recursive(200, 0)));

        assertThatThrownBy(() -> pipeline.run(List.of(corpus), IngestListener.NONE)).isInstanceOf(ClosedException.class);

        assertThat(depth(IngestMeters.PLAN_QUEUE)).as("closing the run's windows takes their items off").isZero();
        assertThat(depth(IngestMeters.EMBED_QUEUE)).isZero();
    }

    @Test
    void aRegistryTakesTheGaugesOfOneOpenInstanceAtATime() {
        assertThatThrownBy(() -> new IngestMeters(registry)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("meterRegistry"));

        meters.close();

        try (IngestMeters next = new IngestMeters(registry)) {
            assertThat(registry.find(IngestMeters.QUEUE_DEPTH).gauges()).hasSize(2);
        }
        assertThat(registry.find(IngestMeters.QUEUE_DEPTH).gauges()).isEmpty();
    }
}
