package dev.parallelrag.stats;

/**
 * Latency figures in milliseconds. Percentiles come from the most recent samples (see
 * {@link LatencyReservoir}); {@code mean} and {@code count} cover every sample since the last reset.
 */
public record LatencySummary(long count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);
}
