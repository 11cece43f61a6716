package dev.parallelrag.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.CircuitOpenException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.stats.ClientStats;
import dev.parallelrag.stats.StatsRecorder;
import dev.parallelrag.stats.TokenUsage;
import dev.parallelrag.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilientExecutorTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicBoolean healthy = new AtomicBoolean(false);

    private ResilientExecutor executor() {
        ResilienceConfig config = ResilienceConfig.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(2)).breakerHalfOpenProbes(2).outageWait(Duration.ZERO).clock(clock).build();
        return new ResilientExecutor("test endpoint", config,
                new StatsRecorder("test", "m", "chat", new SimpleMeterRegistry()));
    }

    private String call(ResilientExecutor ex) throws Exception {
        return ex.execute(10, n -> {
            calls.incrementAndGet();
            if (!healthy.get()) {
                throw new ProviderException("down", 503, "overloaded", true);
            }
            return "ok";
        }, v -> TokenUsage.of(10, 2)).value();
    }

    @Test
    void breakerCountsRequestsNotAttemptsOpensAfterFiveFailsFastProbesAndCloses() throws Exception {
        ResilientExecutor ex = executor();
        for (int i = 1; i <= 4; i++) {
            assertThatThrownBy(() -> call(ex)).isInstanceOf(ProviderException.class);
            assertThat(ex.breaker().getState().name()).as("after %d failed requests", i).isEqualTo("CLOSED");
        }
        assertThatThrownBy(() -> call(ex)).isInstanceOf(ProviderException.class);
        assertThat(ex.breaker().getState().name()).isEqualTo("OPEN");
        assertThat(calls.get()).as("5 requests x 2 attempts").isEqualTo(10);

        assertThatThrownBy(() -> call(ex)).isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("open").satisfies(e ->
                        assertThat(((CircuitOpenException) e).retryAfter()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(calls.get()).as("open breaker fails fast").isEqualTo(10);

        clock.advance(Duration.ofSeconds(61));
        healthy.set(true);
        assertThat(call(ex)).isEqualTo("ok");
        assertThat(ex.breaker().getState().name()).isEqualTo("HALF_OPEN");
        assertThat(call(ex)).isEqualTo("ok");
        assertThat(ex.breaker().getState().name()).isEqualTo("CLOSED");

        ClientStats s = ex.stats();
        assertThat(s.totalRequests()).isEqualTo(8);
        assertThat(s.failuresByKind()).containsEntry("server", 5L).containsEntry("circuit_open", 1L);
        assertThat(s.retries()).isEqualTo(5);
        assertThat(s.breaker().transitions()).isEqualTo(3);
    }

    @Test
    void aFailedProbeReopensTheBreaker() throws Exception {
        ResilientExecutor ex = executor();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> call(ex)).isInstanceOf(ProviderException.class);
        }
        clock.advance(Duration.ofSeconds(61));
        assertThatThrownBy(() -> call(ex)).isInstanceOf(ProviderException.class);
        assertThat(ex.breaker().getState().name()).isEqualTo("OPEN");
        int before = calls.get();
        assertThatThrownBy(() -> call(ex)).isInstanceOf(CircuitOpenException.class);
        assertThat(calls.get()).isEqualTo(before);
    }

    @Test
    void permanentErrorsAreTriedOnceAndDoNotOpenTheBreaker() throws Exception {
        ResilientExecutor ex = executor();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> ex.execute(1, n -> {
                calls.incrementAndGet();
                throw new ProviderException("bad request", 400, "{}", false);
            }, v -> TokenUsage.NONE)).isInstanceOf(ProviderException.class);
        }
        assertThat(calls.get()).isEqualTo(10);
        assertThat(ex.breaker().getState().name()).isEqualTo("CLOSED");
        assertThat(ex.stats().failuresByKind()).containsEntry("validation", 10L);
    }

    @Test
    void resetStatsKeepsTheBreaker() throws Exception {
        ResilientExecutor ex = executor();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> call(ex)).isInstanceOf(ProviderException.class);
        }
        ex.resetStats();
        assertThat(ex.stats().totalRequests()).isZero();
        assertThat(ex.stats().breaker().state()).isEqualTo("OPEN");
    }
}
