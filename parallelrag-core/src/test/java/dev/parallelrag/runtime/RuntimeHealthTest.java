package dev.parallelrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthStatus;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime's health: UP while it runs, DEGRADED while its CPU queue is saturated, DOWN once closed. */
class RuntimeHealthTest {

    @Test
    @Timeout(30)
    void upWhileRunningDegradedWhileTheCpuQueueIsSaturatedDownOnceClosed() throws InterruptedException {
        ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(1).cpuQueueCapacity(10).build());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertThat(runtime.health().status()).isEqualTo(HealthStatus.UP);
            runtime.cpuExecutor().execute(() -> {
                running.countDown();
                await(release);
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 8; i++) {
                runtime.cpuExecutor().execute(() -> { });
            }
            assertThat(runtime.health().status()).as("8 of 10 queued").isEqualTo(HealthStatus.UP);
            runtime.cpuExecutor().execute(() -> { });
            Health saturated = runtime.health();
            assertThat(saturated.status()).as("9 of 10 queued").isEqualTo(HealthStatus.DEGRADED);
            assertThat(saturated.reason()).startsWith("CPU queue saturated (9 of 10 CPU tasks queued)");
            assertThat(saturated.details()).containsEntry("cpu_queue_depth", 9).containsEntry("cpu_threads_busy", 1);
        } finally {
            release.countDown();
            runtime.close();
        }
        Health closed = runtime.health();
        assertThat(closed.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(closed.reason()).startsWith("closed");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
