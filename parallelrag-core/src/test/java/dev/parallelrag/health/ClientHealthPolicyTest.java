package dev.parallelrag.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.stats.BreakerStats;
import dev.parallelrag.stats.ClientStats;
import dev.parallelrag.stats.LatencySummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each threshold of a {@link ClientHealthPolicy} moves the verdict: the same stats are UP, DEGRADED or DOWN
 * depending on where the policy draws its lines. Rows of docs/configuration.md name these.
 */
class ClientHealthPolicyTest {

    private static final Duration TWO_S = Duration.ofSeconds(2);
    private static final Duration FIVE_S = Duration.ofSeconds(5);

    /** 100 requests, {@code successes} of them fine, with the given p95 latency. */
    private static ClientStats stats(long successes, double p95Ms) {
        LatencySummary latency = new LatencySummary(100, p95Ms / 2, p95Ms / 2, p95Ms, p95Ms, p95Ms);
        return new ClientStats("test", "m", 100, successes, Map.of("server", 100 - successes), successes / 100.0,
                latency, latency, 0, List.of(), new BreakerStats("CLOSED", 0), 0, 0, 0, 1, Duration.ofMinutes(1));
    }

    private static HealthStatus verdict(ClientHealthPolicy policy, ClientStats stats) {
        return policy.evaluate("test", stats).status();
    }

    @Test
    void degradedSuccessRateIsWhereFailuresStartToShow() {
        ClientStats ninetyThree = stats(93, 10);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, ninetyThree)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(verdict(new ClientHealthPolicy(0.92, 0.90, TWO_S, FIVE_S), ninetyThree)).isEqualTo(HealthStatus.UP);
    }

    @Test
    void downSuccessRateIsWhereTheClientCountsAsDown() {
        ClientStats eightyFive = stats(85, 10);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, eightyFive)).isEqualTo(HealthStatus.DOWN);
        assertThat(verdict(new ClientHealthPolicy(0.95, 0.80, TWO_S, FIVE_S), eightyFive)).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void degradedP95IsTheLatencyThatDegrades() {
        ClientStats threeSeconds = stats(100, 3_000);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, threeSeconds)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(verdict(new ClientHealthPolicy(0.95, 0.90, Duration.ofSeconds(4), FIVE_S), threeSeconds))
                .isEqualTo(HealthStatus.UP);
    }

    @Test
    void downP95IsTheLatencyThatCountsAsDown() {
        ClientStats sixSeconds = stats(100, 6_000);
        assertThat(verdict(ClientHealthPolicy.DEFAULT, sixSeconds)).isEqualTo(HealthStatus.DOWN);
        assertThat(verdict(new ClientHealthPolicy(0.95, 0.90, TWO_S, Duration.ofSeconds(10)), sixSeconds))
                .isEqualTo(HealthStatus.DEGRADED);
    }
}
