package dev.parallelrag.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.stats.BreakerStats;
import dev.parallelrag.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each setting of a {@link ClientHealthPolicy} moves the verdict: the same requests are UP, DEGRADED or DOWN
 * depending on where the policy draws its lines, how far back it looks and how many requests it needs. Rows of
 * docs/configuration.md name these.
 */
class ClientHealthPolicyTest {

    private static final BreakerStats CLOSED = new BreakerStats("CLOSED", 0);
    private static final Duration FIVE_MIN = Duration.ofMinutes(5);
    private static final ProviderException SERVER_ERROR = new ProviderException("down", 503, null, true);

    /** 100 requests, {@code successes} of them fine, {@code slow2} slower than 2 s and {@code slow5} slower than 5 s. */
    private static RequestWindow.Counts counts(long successes, long slow2, long slow5) {
        return new RequestWindow.Counts(FIVE_MIN, successes, 100 - successes, 0, slow2, slow5);
    }

    private static HealthStatus verdict(ClientHealthPolicy policy, RequestWindow.Counts counts) {
        return policy.evaluate("test", counts, CLOSED).status();
    }

    @Test
    void degradedSuccessRateIsWhereFailuresStartToShow() {
        RequestWindow.Counts ninetyThree = counts(93, 0, 0);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, ninetyThree)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(verdict(ClientHealthPolicy.builder().degradedSuccessRate(0.92).build(), ninetyThree)).isEqualTo(HealthStatus.UP);
    }

    @Test
    void downSuccessRateIsWhereTheClientCountsAsDown() {
        RequestWindow.Counts eightyFive = counts(85, 0, 0);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, eightyFive)).isEqualTo(HealthStatus.DOWN);
        assertThat(verdict(ClientHealthPolicy.builder().downSuccessRate(0.80).build(), eightyFive)).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void degradedP95IsTheLatencyThatDegrades() {
        // 6 of 100 answers slower than the threshold: the 95th fastest is among them
        RequestWindow.Counts slowTail = counts(100, 6, 0);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, slowTail)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, counts(100, 5, 0))).as("5 of 100 leave the p95 under it")
                .isEqualTo(HealthStatus.UP);
    }

    @Test
    void downP95IsTheLatencyThatCountsAsDown() {
        RequestWindow.Counts verySlowTail = counts(100, 6, 6);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, verySlowTail)).isEqualTo(HealthStatus.DOWN);
        assertThat(ClientHealthPolicy.DEFAULT.evaluate("test", verySlowTail, CLOSED).reason())
                .isEqualTo("p95 latency is above 5000 ms (6 of 100 answers in the last 5 min took longer)");
    }

    @Test
    void theLatencyThresholdsDecideWhatTheWindowCountsAsSlow() {
        MutableClock clock = new MutableClock();
        ClientHealthPolicy lenient = ClientHealthPolicy.builder().minimumRequests(1).degradedP95(Duration.ofSeconds(4))
                .downP95(Duration.ofSeconds(10)).build();
        ClientHealthPolicy strict = lenient.toBuilder().degradedP95(Duration.ofSeconds(2)).downP95(Duration.ofSeconds(5)).build();
        for (ClientHealthPolicy policy : new ClientHealthPolicy[] {lenient, strict}) {
            RequestWindow w = new RequestWindow(policy, clock);
            w.success(Duration.ofSeconds(6).toNanos());
            assertThat(policy.evaluate("test", w.counts(), CLOSED).status())
                    .isEqualTo(policy == lenient ? HealthStatus.DEGRADED : HealthStatus.DOWN);
        }
    }

    @Test
    void windowIsHowFarBackRequestsCount() {
        MutableClock clock = new MutableClock();
        ClientHealthPolicy fiveMinutes = ClientHealthPolicy.DEFAULT;
        ClientHealthPolicy twoMinutes = ClientHealthPolicy.builder().window(Duration.ofMinutes(2)).build();
        RequestWindow longer = new RequestWindow(fiveMinutes, clock);
        RequestWindow shorter = new RequestWindow(twoMinutes, clock);
        for (int i = 0; i < 30; i++) { // an outage three minutes ago ...
            longer.failure(SERVER_ERROR);
            shorter.failure(SERVER_ERROR);
        }
        clock.advance(Duration.ofMinutes(3));
        for (int i = 0; i < 30; i++) { // ... and a healthy provider since
            longer.success(1_000_000);
            shorter.success(1_000_000);
        }
        Health stillCounting = fiveMinutes.evaluate("test", longer.counts(), CLOSED);
        assertThat(stillCounting.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(stillCounting.reason()).isEqualTo("success rate 50.0% is below 90% (30 of 60 requests failed in the last 5 min)");
        assertThat(twoMinutes.evaluate("test", shorter.counts(), CLOSED).status()).isEqualTo(HealthStatus.UP);

        clock.advance(Duration.ofMinutes(2)); // five minutes after the outage the long window forgets it too
        assertThat(fiveMinutes.evaluate("test", longer.counts(), CLOSED).status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void minimumRequestsIsTheSampleBelowWhichRatesAreNotJudged() {
        RequestWindow.Counts threeOfFiveFailed = new RequestWindow.Counts(FIVE_MIN, 2, 3, 0, 0, 0);
        Health fewRequests = ClientHealthPolicy.DEFAULT.evaluate("test", threeOfFiveFailed, CLOSED);
        assertThat(fewRequests.status()).isEqualTo(HealthStatus.UP);
        assertThat(fewRequests.reason()).isEqualTo("too few requests in the last 5 min to judge (5 of 20)");
        assertThat(verdict(ClientHealthPolicy.builder().minimumRequests(5).build(), threeOfFiveFailed)).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void anOpenBreakerIsDownEvenBelowTheMinimumSample() {
        RequestWindow.Counts none = new RequestWindow.Counts(FIVE_MIN, 0, 0, 0, 0, 0);
        Health h = ClientHealthPolicy.DEFAULT.evaluate("test", none, new BreakerStats("OPEN", 1));
        assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(h.reason()).contains("circuit breaker is open");
    }

    @Test
    void badSettingsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> ClientHealthPolicy.builder().window(Duration.ofMillis(500)).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> ClientHealthPolicy.builder().window(Duration.ofDays(2)).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> ClientHealthPolicy.builder().window(null).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> ClientHealthPolicy.builder().minimumRequests(0).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("minimumRequests");
        assertThatThrownBy(() -> ClientHealthPolicy.builder().downSuccessRate(0.99).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("successRate");
    }
}
