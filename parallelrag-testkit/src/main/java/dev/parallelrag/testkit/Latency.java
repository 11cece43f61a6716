package dev.parallelrag.testkit;

import java.time.Duration;
import java.util.Random;

/**
 * Simulated processing time added before a response (and before status faults). Random distributions are
 * seeded, so a run is repeatable given the same request order. Thread-safe.
 */
public sealed interface Latency {

    /** The delay for the next request. */
    Duration sample();

    /** No added delay. */
    static Latency none() {
        return new Fixed(Duration.ZERO);
    }

    /** Always {@code delay}. */
    static Latency fixed(Duration delay) {
        requireNonNegative("delay", delay);
        return new Fixed(delay);
    }

    /** Uniform between {@code min} and {@code max} (inclusive), from a generator seeded with {@code seed}. */
    static Latency uniform(Duration min, Duration max, long seed) {
        requireNonNegative("min", min);
        requireNonNegative("max", max);
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency max (" + max + ") must be >= min (" + min + ")");
        }
        return new Uniform(min.toNanos(), max.toNanos(), new Random(seed));
    }

    /** Normal with the given mean and standard deviation, clamped at zero, seeded. */
    static Latency normal(Duration mean, Duration stdDev, long seed) {
        requireNonNegative("mean", mean);
        requireNonNegative("stdDev", stdDev);
        return new Normal(mean.toNanos(), stdDev.toNanos(), new Random(seed));
    }

    private static void requireNonNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("latency " + field + " must be a non-negative Duration, got " + d);
        }
    }

    /** A constant delay. */
    record Fixed(Duration delay) implements Latency {
        @Override
        public Duration sample() {
            return delay;
        }
    }

    /** A uniform delay. */
    record Uniform(long minNanos, long maxNanos, Random random) implements Latency {
        @Override
        public Duration sample() {
            synchronized (random) {
                return Duration.ofNanos(minNanos + (long) (random.nextDouble() * (maxNanos - minNanos + 1)));
            }
        }
    }

    /** A normal delay clamped at zero. */
    record Normal(long meanNanos, long stdDevNanos, Random random) implements Latency {
        @Override
        public Duration sample() {
            synchronized (random) {
                return Duration.ofNanos(Math.max(0, meanNanos + (long) (random.nextGaussian() * stdDevNanos)));
            }
        }
    }
}
