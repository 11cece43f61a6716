package dev.parallelrag.health;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.stats.ClientStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a client's stats into a health verdict:
 * <ul>
 *   <li>DOWN when the circuit breaker is open, when the success rate is below {@code downSuccessRate}
 *       (default 0.90) or when p95 latency is above {@code downP95} (default 5 s);</li>
 *   <li>DEGRADED when the success rate is below {@code degradedSuccessRate} (default 0.95) or p95 is above
 *       {@code degradedP95} (default 2 s);</li>
 *   <li>UP otherwise, including before the first request.</li>
 * </ul>
 * The success rate here leaves out validation failures: a caller sending empty prompts says nothing about
 * the provider's health.
 */
public record ClientHealthPolicy(double degradedSuccessRate, double downSuccessRate, Duration degradedP95,
                                 Duration downP95) {

    public static final ClientHealthPolicy DEFAULT =
            new ClientHealthPolicy(0.95, 0.90, Duration.ofSeconds(2), Duration.ofSeconds(5));

    public ClientHealthPolicy {
        if (!(downSuccessRate >= 0 && downSuccessRate <= degradedSuccessRate && degradedSuccessRate <= 1)) {
            throw new ValidationException("successRate thresholds", downSuccessRate + "/" + degradedSuccessRate,
                    "must satisfy 0 <= downSuccessRate <= degradedSuccessRate <= 1");
        }
        if (degradedP95 == null || downP95 == null || downP95.compareTo(degradedP95) < 0) {
            throw new ValidationException("p95 thresholds", degradedP95 + "/" + downP95,
                    "must be set with downP95 >= degradedP95");
        }
    }

    public Health evaluate(String component, ClientStats s) {
        long validation = s.failuresByKind().getOrDefault("validation", 0L);
        long counted = s.totalRequests() - validation;
        double rate = counted == 0 ? 1.0 : s.successes() / (double) counted;
        double p95 = s.latency().p95Ms();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("success_rate", rate);
        details.put("p95_ms", p95);
        details.put("requests", counted);
        details.put("breaker", s.breaker().state());
        if (s.breaker().isOpen()) {
            return new Health(component, HealthStatus.DOWN, "circuit breaker is open after repeated failures", details);
        }
        if (counted == 0) {
            return new Health(component, HealthStatus.UP, "no requests yet", details);
        }
        if (rate < downSuccessRate) {
            return new Health(component, HealthStatus.DOWN, String.format(Locale.ROOT,
                    "success rate %.1f%% is below %.0f%%", rate * 100, downSuccessRate * 100), details);
        }
        if (p95 > downP95.toMillis()) {
            return new Health(component, HealthStatus.DOWN, String.format(Locale.ROOT,
                    "p95 latency %.0f ms is above %d ms", p95, downP95.toMillis()), details);
        }
        if (rate < degradedSuccessRate) {
            return new Health(component, HealthStatus.DEGRADED, String.format(Locale.ROOT,
                    "success rate %.1f%% is below %.0f%%", rate * 100, degradedSuccessRate * 100), details);
        }
        if (p95 > degradedP95.toMillis()) {
            return new Health(component, HealthStatus.DEGRADED, String.format(Locale.ROOT,
                    "p95 latency %.0f ms is above %d ms", p95, degradedP95.toMillis()), details);
        }
        return new Health(component, HealthStatus.UP, String.format(Locale.ROOT,
                "success rate %.1f%%, p95 %.0f ms", rate * 100, p95), details);
    }
}
