package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Closing a model while threads are inside {@code embedBatch} used to free the native session under
 * {@code OrtSession.run}: SIGSEGV, the test JVM gone. Here several threads embed without pause while the model
 * is closed at a random moment, many times over, half the time with the normal grace (the calls in flight
 * finish) and half with none (they are terminated inside ONNX Runtime). A crash would end this JVM and fail the
 * run; beyond that, every call must either return the right vectors or fail with a {@link ClosedException},
 * and every call after close must be refused with one.
 */
class CloseWhileEmbeddingTest {

    private static final int ITERATIONS = 10;
    private static final int THREADS = 4;

    @Test
    void closingWhileThreadsEmbedFinishesOrStopsEveryCallCleanly() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> texts = TestTexts.sotuSentences(24, seed);
        String longText = String.join(" ", TestTexts.sotuSentences(30, seed + 1)); // several windows: a long call
        List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger stoppedWhileRunning = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        OnnxEmbeddingConfig config = OnnxEmbeddingConfig.builder().threads(2).maxBatchSize(4).build();

        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            boolean terminate = iteration % 2 == 1;
            OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(config);
            CountDownLatch started = new CountDownLatch(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<String> batch = t % 2 == 0 ? texts : List.of(longText, texts.getFirst());
                threads.add(Thread.ofPlatform().name("embedder-" + t).start(() -> {
                    started.countDown();
                    while (true) {
                        try {
                            List<float[]> vectors = model.embedBatch(batch);
                            assertThat(vectors).hasSize(batch.size()).allSatisfy(v -> assertThat(v).hasSize(384));
                            completed.incrementAndGet();
                        } catch (ClosedException e) {
                            (e.getMessage().contains("while this call ran") ? stoppedWhileRunning : refused).incrementAndGet();
                            return;
                        } catch (Throwable e) {
                            unexpected.add(e);
                            return;
                        }
                    }
                }));
            }
            started.await();
            Thread.sleep(random.nextInt(400));
            model.close(terminate ? Duration.ZERO : OnnxEmbeddingModel.CLOSE_GRACE);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(thread.isAlive()).as("%s still running after close (seed %d)", thread.getName(), seed).isFalse();
            }
            assertThatThrownBy(() -> model.embedBatch(texts)).isInstanceOf(ClosedException.class)
                    .hasMessageContaining("local/all-minilm-l6-v2 is closed");
            model.close(); // twice is harmless
        }

        assertThat(unexpected).as("errors other than ClosedException (seed %d)", seed).isEmpty();
        assertThat(completed.get()).as("calls that finished").isPositive();
        assertThat(refused.get()).as("calls refused after close").isPositive();
        assertThat(stoppedWhileRunning.get()).as("calls stopped inside ONNX Runtime by a close without grace").isPositive();
    }
}
