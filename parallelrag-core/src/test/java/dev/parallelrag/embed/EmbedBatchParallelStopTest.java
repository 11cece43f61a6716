package dev.parallelrag.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.StoppedException;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.StopSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EmbeddingClient#embedBatchParallel(List, EmbedOptions, StopSignal)}: batches in flight finish, no more start. */
@Timeout(60)
class EmbedBatchParallelStopTest {

    /** Embeds each text as {length} once released; counts its calls. */
    private static final class GateEmbeddingModel implements EmbeddingModel {
        final CountDownLatch started = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String modelId() {
            return "test/gate";
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public int maxBatchSize() {
            return 4;
        }

        @Override
        public int maxBatchTokens() {
            return 10_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            calls.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            List<float[]> out = new ArrayList<>();
            texts.forEach(t -> out.add(new float[] {t.length()}));
            return out;
        }
    }

    @Test
    void theBatchesInFlightAtTheStopAreKeptAndTheOthersAreNotRun() throws Exception {
        GateEmbeddingModel model = new GateEmbeddingModel();
        List<String> texts = IntStream.range(0, 40).mapToObj(i -> "text " + "x".repeat(i)).toList();
        StopSignal stop = StopSignal.create();
        try (EmbeddingClient client = EmbeddingClient.builder(model).build()) {
            @SuppressWarnings("unchecked")
            List<Outcome<float[]>>[] result = new List[1];
            Thread batch = Thread.ofVirtual().start(() -> result[0] = client.embedBatchParallel(texts,
                    EmbedOptions.concurrency(2).withBatchSize(4), stop));
            assertThat(model.started.await(30, TimeUnit.SECONDS)).isTrue();
            stop.stop();
            model.release.countDown();
            batch.join();

            List<Outcome<float[]>> outcomes = result[0];
            assertThat(outcomes).hasSize(40);
            for (int i = 0; i < 8; i++) { // two batches of four were in flight
                assertThat(outcomes.get(i).orElseThrow()[0]).isEqualTo(texts.get(i).length());
            }
            assertThat(outcomes.subList(8, 40)).allSatisfy(o ->
                    assertThat(((Outcome.Failure<float[]>) o).error()).isInstanceOf(StoppedException.class));
            assertThat(model.calls).hasValue(2);
        }
    }
}
