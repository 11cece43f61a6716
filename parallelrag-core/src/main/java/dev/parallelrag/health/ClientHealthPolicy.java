package dev.parallelrag.health;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.stats.BreakerStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a client's recent requests into a health verdict. Only the requests of the last {@code window}
 * (default 5 min) count, so a past outage stops weighing on the verdict once it is older than that:
 * <ul>
 *   <li>DOWN when the circuit breaker is open, whatever the counts;</li>
 *   <li>UP ("too few requests in the last 5 min") while the window holds fewer than {@code minimumRequests}
 *       (default 20) counted requests: three failures of five say little about a provider;</li>
 *   <li>DOWN when the success rate is below {@code downSuccessRate} (default 0.90) or the p95 latency of
 *       the successes is above {@code downP95} (default 5 s);</li>
 *   <li>DEGRADED when the success rate is below {@code degradedSuccessRate} (default 0.95) or p95 is above
 *       {@code degradedP95} (default 2 s);</li>
 *   <li>UP otherwise.</li>
 * </ul>
 * The success rate leaves out caller errors (invalid input, a rejected key, HTTP 4xx other than 408 and 429:
 * see {@link RequestWindow#isCallerError}) and the client's own isolation probes: they say nothing about the
 * provider's health. Build one with {@link #builder()}; every value is validated.
 */
public record ClientHealthPolicy(double degradedSuccessRate, double downSuccessRate, Duration degradedP95,
                                 Duration downP95, Duration window, int minimumRequests) {

    public static final double DEFAULT_DEGRADED_SUCCESS_RATE = 0.95;
    public static final double DEFAULT_DOWN_SUCCESS_RATE = 0.90;
    public static final Duration DEFAULT_DEGRADED_P95 = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DOWN_P95 = Duration.ofSeconds(5);
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final int DEFAULT_MINIMUM_REQUESTS = 20;
    /** Shortest window: below a second the buckets would be a few milliseconds wide. */
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    static final int MAX_MINIMUM_REQUESTS = 1_000_000;

    public static final ClientHealthPolicy DEFAULT = builder().build();

    public ClientHealthPolicy {
        if (!(downSuccessRate >= 0 && downSuccessRate <= degradedSuccessRate && degradedSuccessRate <= 1)) {
            throw new ValidationException("successRate thresholds", downSuccessRate + "/" + degradedSuccessRate,
                    "must satisfy 0 <= downSuccessRate <= degradedSuccessRate <= 1");
        }
        if (degradedP95 == null || downP95 == null || degradedP95.isNegative() || downP95.compareTo(degradedP95) < 0) {
            throw new ValidationException("p95 thresholds", degradedP95 + "/" + downP95,
                    "must be set with 0 <= degradedP95 <= downP95");
        }
        if (window == null || window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new ValidationException("window", window, "must be between 1 s and 1 day (e.g. Duration.ofMinutes(5))");
        }
        if (minimumRequests < 1 || minimumRequests > MAX_MINIMUM_REQUESTS) {
            throw new ValidationException("minimumRequests", minimumRequests, "must be between 1 and " + MAX_MINIMUM_REQUESTS
                    + "; 1 judges from the first request");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values. */
    public Builder toBuilder() {
        return new Builder().degradedSuccessRate(degradedSuccessRate).downSuccessRate(downSuccessRate)
                .degradedP95(degradedP95).downP95(downP95).window(window).minimumRequests(minimumRequests);
    }

    /** The verdict on a client whose window holds {@code counts} and whose breaker is {@code breaker}. */
    public Health evaluate(String component, RequestWindow.Counts counts, BreakerStats breaker) {
        double rate = counts.successRate();
        String span = "in the last " + describe(window);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("client", component);
        details.put("window_s", window.toMillis() / 1000.0);
        details.put("requests", counts.counted());
        details.put("successes", counts.successes());
        details.put("failures", counts.failures());
        details.put("caller_errors", counts.callerErrors());
        details.put("success_rate", rate);
        details.put("slower_than_degraded_p95", counts.slowerThanDegraded());
        details.put("slower_than_down_p95", counts.slowerThanDown());
        details.put("breaker", breaker.state());
        if (breaker.isOpen()) {
            return new Health(component, HealthStatus.DOWN, "circuit breaker is open after repeated failures", details);
        }
        if (counts.counted() < minimumRequests) {
            return new Health(component, HealthStatus.UP, String.format(Locale.ROOT,
                    "too few requests %s to judge (%d of %d)", span, counts.counted(), minimumRequests), details);
        }
        if (rate < downSuccessRate) {
            return new Health(component, HealthStatus.DOWN, rateReason(rate, downSuccessRate, counts, span), details);
        }
        if (counts.p95AboveDown()) {
            return new Health(component, HealthStatus.DOWN, slowReason(counts.slowerThanDown(), downP95, counts, span), details);
        }
        if (rate < degradedSuccessRate) {
            return new Health(component, HealthStatus.DEGRADED, rateReason(rate, degradedSuccessRate, counts, span), details);
        }
        if (counts.p95AboveDegraded()) {
            return new Health(component, HealthStatus.DEGRADED,
                    slowReason(counts.slowerThanDegraded(), degradedP95, counts, span), details);
        }
        return new Health(component, HealthStatus.UP, String.format(Locale.ROOT, "success rate %.1f%% over %d requests %s",
                rate * 100, counts.counted(), span), details);
    }

    private static String rateReason(double rate, double threshold, RequestWindow.Counts counts, String span) {
        return String.format(Locale.ROOT, "success rate %.1f%% is below %.0f%% (%d of %d requests failed %s)",
                rate * 100, threshold * 100, counts.failures(), counts.counted(), span);
    }

    private static String slowReason(long slower, Duration threshold, RequestWindow.Counts counts, String span) {
        return String.format(Locale.ROOT, "p95 latency is above %d ms (%d of %d answers %s took longer)",
                threshold.toMillis(), slower, counts.successes(), span);
    }

    /** {@code 5 min}, {@code 90 s}, {@code 1500 ms}: the window as a reason names it. */
    static String describe(Duration d) {
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + " min";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Mutable builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private double degradedSuccessRate = DEFAULT_DEGRADED_SUCCESS_RATE;
        private double downSuccessRate = DEFAULT_DOWN_SUCCESS_RATE;
        private Duration degradedP95 = DEFAULT_DEGRADED_P95;
        private Duration downP95 = DEFAULT_DOWN_P95;
        private Duration window = DEFAULT_WINDOW;
        private int minimumRequests = DEFAULT_MINIMUM_REQUESTS;

        private Builder() {
        }

        /** Below this success rate the client is DEGRADED; default 0.95. */
        public Builder degradedSuccessRate(double v) {
            this.degradedSuccessRate = v;
            return this;
        }

        /** Below this success rate the client is DOWN; default 0.90. */
        public Builder downSuccessRate(double v) {
            this.downSuccessRate = v;
            return this;
        }

        /** Above this p95 latency of successes the client is DEGRADED; default 2 s. */
        public Builder degradedP95(Duration v) {
            this.degradedP95 = v;
            return this;
        }

        /** Above this p95 latency of successes the client is DOWN; default 5 s. */
        public Builder downP95(Duration v) {
            this.downP95 = v;
            return this;
        }

        /** How far back requests count, 1 s to 1 day; default 5 min. */
        public Builder window(Duration v) {
            this.window = v;
            return this;
        }

        /** Counted requests the window must hold before rates are judged; default 20. */
        public Builder minimumRequests(int v) {
            this.minimumRequests = v;
            return this;
        }

        public ClientHealthPolicy build() {
            return new ClientHealthPolicy(degradedSuccessRate, downSuccessRate, degradedP95, downP95, window, minimumRequests);
        }
    }
}
