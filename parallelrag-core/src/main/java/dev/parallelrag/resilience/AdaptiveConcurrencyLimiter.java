package dev.parallelrag.resilience;

import dev.parallelrag.Internal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bulkhead of one client: at most {@code limit} attempts in flight. With adaptive concurrency on,
 * the limit follows AIMD: a 429 halves it (down to 1), and each run of {@code limit} successes adds one,
 * up to {@code maxConcurrency}.
 *
 * <p>Why our own instead of Resilience4j's bulkhead: shrinking its semaphore blocks the caller until
 * enough permits are free, which can stall the very thread that saw the 429. Here a shrink only lowers
 * the bar new attempts must pass; attempts in flight finish normally.
 *
 * <p>A burst of 429s from attempts that all started under the old limit halves the limit once, not once
 * per response: each permit remembers the epoch it was granted in, and only a 429 from the current epoch
 * cuts the limit.
 */
@Internal
public final class AdaptiveConcurrencyLimiter {

    /** A granted slot; pass it back to {@link #release}. */
    public record Permit(long epoch) {
    }

    /** How an attempt ended, as far as the limiter cares. */
    public enum Signal { SUCCESS, RATE_LIMITED, OTHER_FAILURE }

    private final int max;
    private final boolean adaptive;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    private int limit;
    private int inFlight;
    private int successesSinceChange;
    private long epoch;

    public AdaptiveConcurrencyLimiter(int maxConcurrency, boolean adaptive) {
        this.max = maxConcurrency;
        this.adaptive = adaptive;
        this.limit = maxConcurrency;
    }

    /** Waits for a slot. */
    public Permit acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (inFlight >= limit) {
                slotFreed.await(1, TimeUnit.SECONDS);
            }
            inFlight++;
            return new Permit(epoch);
        } finally {
            lock.unlock();
        }
    }

    public void release(Permit permit, Signal signal) {
        lock.lock();
        try {
            inFlight--;
            if (adaptive) {
                if (signal == Signal.RATE_LIMITED) {
                    if (permit.epoch() == epoch) {
                        limit = Math.max(1, limit / 2);
                        successesSinceChange = 0;
                        epoch++;
                    }
                } else if (signal == Signal.SUCCESS && limit < max && ++successesSinceChange >= limit) {
                    limit++;
                    successesSinceChange = 0;
                    epoch++;
                }
            }
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The current in-flight limit. */
    public int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int maxConcurrency() {
        return max;
    }
}
