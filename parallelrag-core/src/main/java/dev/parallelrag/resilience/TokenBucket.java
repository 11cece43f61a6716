package dev.parallelrag.resilience;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A tokens-per-minute budget that refills continuously. {@link #acquire} takes an estimate before a call
 * and may wait; {@link #adjust} corrects it once the provider reports the real usage (a positive delta
 * takes more, a negative one gives tokens back).
 *
 * <p>Why our own: Resilience4j's rate limiter cannot give permits back, and the correction after the
 * call needs exactly that. A request larger than the whole budget is let through when the bucket is
 * full, leaving the bucket in debt, so it never waits forever. Tokens given back wake the waiters at
 * once: an estimate far above the real usage holds others back only while its call runs.
 */
public final class TokenBucket {

    private final long capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private double available;
    private long lastRefill;

    public TokenBucket(long tokensPerMinute) {
        this(tokensPerMinute, System::nanoTime);
    }

    TokenBucket(long tokensPerMinute, LongSupplier nanoTime) {
        this.capacity = tokensPerMinute;
        this.tokensPerNano = tokensPerMinute / (double) TimeUnit.MINUTES.toNanos(1);
        this.nanoTime = nanoTime;
        this.available = tokensPerMinute;
        this.lastRefill = nanoTime.getAsLong();
    }

    /** Takes {@code tokens}, waiting until the budget has them (or is full, for oversized requests). */
    public void acquire(long tokens) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                refill();
                long need = Math.min(tokens, capacity);
                if (available >= need) {
                    available -= tokens;
                    return;
                }
                long waitNanos = (long) Math.ceil((need - available) / tokensPerNano);
                returned.awaitNanos(Math.max(1_000_000L, waitNanos));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Corrects the last estimate: positive takes more tokens (may go into debt), negative returns tokens. */
    public void adjust(long delta) {
        lock.lock();
        try {
            refill();
            available = Math.min(capacity, available - delta);
            if (delta < 0) {
                returned.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Tokens available now (negative while in debt). */
    public long available() {
        lock.lock();
        try {
            refill();
            return (long) available;
        } finally {
            lock.unlock();
        }
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        available = Math.min(capacity, available + (now - lastRefill) * tokensPerNano);
        lastRefill = now;
    }
}
