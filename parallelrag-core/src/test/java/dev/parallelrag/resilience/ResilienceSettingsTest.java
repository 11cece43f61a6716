package dev.parallelrag.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.CircuitOpenException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.stats.StatsRecorder;
import dev.parallelrag.stats.TokenUsage;
import dev.parallelrag.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Each {@link ResilienceConfig} setting, set to a value other than its default, changes what the
 * {@link ResilientExecutor} (or the {@link RetryPolicy} it runs) does. Rows of docs/configuration.md name these.
 */
class ResilienceSettingsTest {

    private static final ProviderException OVERLOADED = new ProviderException("down", 503, "overloaded", true);

    private final MutableClock clock = new MutableClock();

    private static ResilienceConfig.Builder fast() {
        return ResilienceConfig.builder().initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1));
    }

    private static ResilientExecutor executor(ResilienceConfig config) {
        return new ResilientExecutor("settings test", config, new StatsRecorder("test", "m", "chat", new SimpleMeterRegistry()));
    }

    private static void failOnce(ResilientExecutor ex) {
        assertThatThrownBy(() -> ex.execute(1, n -> {
            throw OVERLOADED;
        }, v -> TokenUsage.NONE)).isInstanceOf(ProviderException.class);
    }

    private static String succeed(ResilientExecutor ex, long tokens) throws Exception {
        return ex.execute(tokens, n -> "ok", v -> TokenUsage.NONE).value();
    }

    @Test
    void maxAttemptsIsTheNumberOfCallsOfAFailingRequest() {
        for (int attempts : new int[] {1, 3}) {
            AtomicInteger calls = new AtomicInteger();
            ResilientExecutor ex = executor(fast().maxAttempts(attempts).build());
            assertThatThrownBy(() -> ex.execute(1, n -> {
                calls.incrementAndGet();
                throw OVERLOADED;
            }, v -> TokenUsage.NONE)).isInstanceOf(ProviderException.class);
            assertThat(calls.get()).as("maxAttempts %d", attempts).isEqualTo(attempts);
        }
    }

    @Test
    void initialBackoffMultiplierAndMaxBackoffShapeTheRetryCeilings() {
        RetryPolicy policy = new RetryPolicy(ResilienceConfig.builder().initialBackoff(Duration.ofMillis(7))
                .backoffMultiplier(3.0).maxBackoff(Duration.ofMillis(50)).build());

        assertThat(List.of(policy.backoffCeiling(1), policy.backoffCeiling(2), policy.backoffCeiling(3), policy.backoffCeiling(4)))
                .containsExactly(Duration.ofMillis(7), Duration.ofMillis(21), Duration.ofMillis(50), Duration.ofMillis(50));
        assertThat(new RetryPolicy(ResilienceConfig.builder().initialBackoff(Duration.ofMillis(7)).build(), () -> 1.0)
                .waitMillis(1, OVERLOADED)).as("the jittered wait is bounded by the ceiling").isEqualTo(7);
    }

    @Test
    void maxRetryAfterCutsTheProvidersRequestedWaitAndZeroIgnoresIt() {
        RateLimitedException askedTenSeconds = new RateLimitedException("slow down", Duration.ofSeconds(10));

        RetryPolicy capped = new RetryPolicy(ResilienceConfig.builder().maxRetryAfter(Duration.ofSeconds(2)).build(), () -> 0.0);
        RetryPolicy ignoring = new RetryPolicy(ResilienceConfig.builder().maxRetryAfter(Duration.ZERO).build(), () -> 0.0);

        assertThat(capped.waitMillis(1, askedTenSeconds)).isEqualTo(2_000);
        assertThat(ignoring.waitMillis(1, askedTenSeconds)).isZero();
    }

    @Test
    void breakerFailureThresholdIsTheNumberOfFailedRequestsThatOpensIt() {
        ResilientExecutor ex = executor(fast().maxAttempts(1).breakerFailureThreshold(2).outageWait(Duration.ZERO).build());

        failOnce(ex);
        assertThat(ex.breaker().getState().name()).isEqualTo("CLOSED");
        failOnce(ex);
        assertThat(ex.breaker().getState().name()).isEqualTo("OPEN");
    }

    @Test
    void breakerOpenDurationOnTheConfiguredClockIsHowLongItFailsFast() throws Exception {
        ResilientExecutor ex = executor(fast().maxAttempts(1).breakerFailureThreshold(1)
                .breakerOpenDuration(Duration.ofSeconds(30)).outageWait(Duration.ZERO).clock(clock).build());
        failOnce(ex);

        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> succeed(ex, 1)).isInstanceOf(CircuitOpenException.class)
                .satisfies(e -> assertThat(((CircuitOpenException) e).retryAfter()).isEqualTo(Duration.ofSeconds(1)));

        clock.advance(Duration.ofSeconds(2));
        assertThat(succeed(ex, 1)).as("probe allowed after 30 s on the test clock").isEqualTo("ok");
    }

    @Test
    void outageWaitIsHowLongACallWaitsForAnOpenBreakerToLetItThrough() throws Exception {
        // the wall clock: the breaker opens for 300 ms after one failed request
        ResilienceConfig.Builder opensBriefly = fast().maxAttempts(1).breakerFailureThreshold(1)
                .breakerOpenDuration(Duration.ofMillis(300)).breakerHalfOpenProbes(2);

        ResilientExecutor waits = executor(opensBriefly.outageWait(Duration.ofSeconds(30)).build());
        AtomicInteger calls = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // the first call fails and opens the breaker; it is the outage's first victim, and waits too
            Future<String> victim = pool.submit(() -> waits.execute(1, n -> {
                if (calls.getAndIncrement() == 0) {
                    throw OVERLOADED;
                }
                return "ok";
            }, v -> TokenUsage.NONE).value());
            while (!waits.breaker().getState().name().equals("OPEN") && !victim.isDone()) {
                Thread.sleep(5);
            }
            assertThat(victim).isNotDone();
            List<Future<String>> later = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                later.add(pool.submit(() -> succeed(waits, 1)));
            }
            assertThat(victim.get(20, TimeUnit.SECONDS)).isEqualTo("ok");
            for (Future<String> call : later) {
                assertThat(call.get(20, TimeUnit.SECONDS)).as("every waiting call goes through once the probes pass").isEqualTo("ok");
            }
        }
        assertThat(waits.breaker().getState().name()).isEqualTo("CLOSED");
        assertThat(waits.stats().failuresByKind()).containsEntry("circuit_open", 0L).containsEntry("server", 0L);

        ResilientExecutor failsFast = executor(opensBriefly.outageWait(Duration.ZERO).build());
        failOnce(failsFast);
        assertThatThrownBy(() -> succeed(failsFast, 1)).isInstanceOf(CircuitOpenException.class)
                .satisfies(e -> assertThat(((CircuitOpenException) e).waited()).isZero());

        ResilientExecutor givesUp = executor(opensBriefly.breakerOpenDuration(Duration.ofSeconds(30))
                .outageWait(Duration.ofMillis(100)).build());
        // still down at the deadline: the request that opened the breaker fails, as the breaker's error
        assertThatThrownBy(() -> givesUp.execute(1, n -> {
            throw OVERLOADED;
        }, v -> TokenUsage.NONE)).isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("outageWait")
                .satisfies(e -> assertThat(((CircuitOpenException) e).waited()).isEqualTo(Duration.ofMillis(100)));
    }

    @Test
    void maxConcurrencyBoundsTheAttemptsInFlight() throws Exception {
        ResilientExecutor ex = executor(fast().maxConcurrency(3).adaptiveConcurrency(false).build());
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                calls.add(threads.submit(() -> ex.execute(1, n -> {
                    peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    return "ok";
                }, v -> TokenUsage.NONE).value()));
            }
            while (ex.concurrencyLimiter().inFlight() < 3) {
                Thread.onSpinWait();
            }
            Thread.sleep(100); // give any attempt beyond the limit the chance to start
            assertThat(peak.get()).isEqualTo(3);
            release.countDown();
            for (Future<String> f : calls) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
            }
        }
        assertThat(peak.get()).isEqualTo(3);
    }

    @Test
    void adaptiveConcurrencyHalvesTheLimitOnARateLimitOnlyWhenOn() {
        for (boolean adaptive : new boolean[] {true, false}) {
            ResilientExecutor ex = executor(fast().maxAttempts(1).maxConcurrency(8).adaptiveConcurrency(adaptive).build());
            assertThatThrownBy(() -> ex.execute(1, n -> {
                throw new RateLimitedException("429", null);
            }, v -> TokenUsage.NONE)).isInstanceOf(RateLimitedException.class);
            assertThat(ex.concurrencyLimiter().limit()).as("adaptive %s", adaptive).isEqualTo(adaptive ? 4 : 8);
        }
    }

    @Test
    void requestsPerMinuteSpacesRequestsOut() throws Exception {
        // 1,200 a minute is one every 50 ms: five requests need at least four refresh periods
        ResilientExecutor limited = executor(fast().requestsPerMinute(1_200).build());
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            succeed(limited, 1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void tokensPerMinuteMakesARequestWaitForItsTokens() throws Exception {
        // 60,000 a minute is 1,000 a second: after the full bucket is spent, 200 more tokens take 200 ms to refill
        ResilientExecutor limited = executor(fast().tokensPerMinute(60_000).build());
        succeed(limited, 60_000);
        long t0 = System.nanoTime();
        succeed(limited, 200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
}
