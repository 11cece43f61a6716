package dev.parallelrag.stats;

import dev.parallelrag.Internal;
import java.util.Arrays;

/**
 * Keeps the last {@code capacity} latency samples for exact percentiles over a recent window, plus
 * a running count, sum and max over all samples. Thread-safe; recording is a short synchronized write.
 */
@Internal
public final class LatencyReservoir {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final long[] samples;
    private long count;
    private long sumNanos;
    private long maxNanos;

    public LatencyReservoir() {
        this(DEFAULT_CAPACITY);
    }

    public LatencyReservoir(int capacity) {
        this.samples = new long[capacity];
    }

    public synchronized void record(long nanos) {
        samples[(int) (count % samples.length)] = nanos;
        count++;
        sumNanos += nanos;
        maxNanos = Math.max(maxNanos, nanos);
    }

    public synchronized void reset() {
        count = 0;
        sumNanos = 0;
        maxNanos = 0;
    }

    public LatencySummary summary() {
        long[] copy;
        long n;
        long sum;
        long max;
        synchronized (this) {
            n = count;
            sum = sumNanos;
            max = maxNanos;
            copy = Arrays.copyOf(samples, (int) Math.min(n, samples.length));
        }
        if (n == 0) {
            return LatencySummary.EMPTY;
        }
        Arrays.sort(copy);
        return new LatencySummary(n, ms(sum / (double) n), ms(percentile(copy, 0.50)), ms(percentile(copy, 0.95)),
                ms(percentile(copy, 0.99)), ms(max));
    }

    /** Nearest-rank percentile of sorted samples. */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(double nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
