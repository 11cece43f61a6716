package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingest stopped by its {@link StopSignal} (what SIGTERM does in the CLI) writes whole documents only, in
 * input order, reports the files it did not run, and the same ingest run again gives the index an uninterrupted
 * run gives.
 */
class IngestStopTest {

    @TempDir
    Path dir;

    private final ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build());

    @AfterEach
    void close() {
        runtime.close();
    }

    /** Stops the signal during its {@code stopOnCall}-th call, which then completes: a call in flight at the stop. */
    private record StoppingModel(EmbeddingModel delegate, StopSignal stop, int stopOnCall, AtomicInteger calls)
            implements EmbeddingModel {
        @Override
        public String modelId() {
            return delegate.modelId();
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public int maxBatchSize() {
            return delegate.maxBatchSize();
        }

        @Override
        public int maxBatchTokens() {
            return delegate.maxBatchTokens();
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            if (calls.incrementAndGet() == stopOnCall) {
                stop.stop();
            }
            return delegate.embedBatch(texts);
        }
    }

    @Test
    void aStoppedIngestKeepsWholeDocumentsAndTheSameIngestAgainCompletesTheIndex() throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        for (int f = 0; f < 12; f++) {
            StringBuilder text = new StringBuilder();
            for (int s = 0; s < 30; s++) {
                text.append("Document ").append(f).append(" sentence ").append(s).append(" about topic ")
                        .append((f * 31 + s) % 17).append(". ");
            }
            Files.writeString(corpus.resolve(String.format("doc-%02d.txt", f)), text);
        }
        IngestConfig config = IngestConfig.builder(Splitters.recursive(120, 0)).batchSize(4).embedConcurrency(1)
                .documentWindow(2).build();
        HashingEmbeddingModel hashing = new HashingEmbeddingModel(32);

        InMemoryVectorStore reference = new InMemoryVectorStore();
        new IngestPipeline(config, hashing, reference, runtime).run(List.of(corpus), IngestListener.NONE);
        long referenceCalls = hashing.calls.get();

        InMemoryVectorStore store = new InMemoryVectorStore();
        StopSignal stop = StopSignal.create();
        StoppingModel stopping = new StoppingModel(hashing, stop, 12, new AtomicInteger());
        IngestSummary stopped = new IngestPipeline(config, stopping, store, runtime).run(List.of(corpus),
                IngestListener.NONE, stop);

        assertThat(stopped.interrupted()).isTrue();
        assertThat(stopped.documentsNotRun()).isPositive();
        assertThat(stopped.documentsIngested()).isPositive();
        assertThat(stopped.documentsIngested() + stopped.documentsNotRun()).isEqualTo(12);
        assertThat(stopped.documentsFailed()).isZero();
        assertThat(stopped.allSucceeded()).isFalse();
        assertThat(stopped.toJson()).contains("\"interrupted\":true");
        assertThat((long) stopping.calls().get()).isLessThan(referenceCalls); // the rest was never embedded
        Map<String, java.util.Set<String>> written = byDocument(store);
        assertThat(written).hasSize(stopped.documentsIngested());
        Map<String, java.util.Set<String>> expected = byDocument(reference);
        written.forEach((doc, ids) -> assertThat(ids).as(doc).isEqualTo(expected.get(doc))); // whole documents only
        // in input order: the documents written are the first ones
        assertThat(written.keySet()).containsExactlyElementsOf(expected.keySet().stream().limit(written.size()).toList());

        IngestSummary rerun = new IngestPipeline(config, hashing, store, runtime).run(List.of(corpus), IngestListener.NONE);
        assertThat(rerun.allSucceeded()).isTrue();
        assertThat(rerun.interrupted()).isFalse();
        assertThat(rerun.documentsUnchanged()).isEqualTo(stopped.documentsIngested());
        assertThat(byDocument(store)).isEqualTo(expected);
    }

    private static Map<String, java.util.Set<String>> byDocument(VectorStore store) {
        Map<String, java.util.Set<String>> ids = new TreeMap<>();
        store.documentIds().forEach(d -> ids.put(d, new java.util.TreeSet<>(store.chunkIds(d))));
        return ids;
    }
}
