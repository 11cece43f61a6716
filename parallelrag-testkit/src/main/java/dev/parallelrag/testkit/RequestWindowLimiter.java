package dev.parallelrag.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Requests-per-window and tokens-per-window limits over a sliding window: a request is admitted when, counting
 * it, at most {@code maxRequests} requests and {@code maxTokens} tokens were admitted in the trailing window.
 * A rejected request is not counted (so a retry storm does not lock a client out), and the rejection says how
 * long until the oldest admitted request that blocks it leaves the window. Zero disables a limit.
 */
final class RequestWindowLimiter {

    /** Admission decision: {@code retryAfter} is zero when admitted. */
    record Decision(boolean admitted, Duration retryAfter, String limitName, long limit, long remainingRequests) {
    }

    private record Entry(long atNanos, long tokens) {
    }

    private final long maxRequests;
    private final long maxTokens;
    private final long windowNanos;
    private final LongSupplier clock;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long tokensInWindow;

    RequestWindowLimiter(long maxRequests, long maxTokens, Duration window, LongSupplier nanoClock) {
        this.maxRequests = maxRequests;
        this.maxTokens = maxTokens;
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    boolean enabled() {
        return maxRequests > 0 || maxTokens > 0;
    }

    synchronized Decision tryAcquire(long tokens) {
        long now = clock.getAsLong();
        while (!entries.isEmpty() && now - entries.peekFirst().atNanos() >= windowNanos) {
            tokensInWindow -= entries.pollFirst().tokens();
        }
        if (maxRequests > 0 && entries.size() >= maxRequests) {
            long wait = entries.peekFirst().atNanos() + windowNanos - now;
            return new Decision(false, Duration.ofNanos(Math.max(wait, 1)), "requests", maxRequests, 0);
        }
        if (maxTokens > 0 && tokensInWindow + tokens > maxTokens) {
            long wait = windowNanos; // a request larger than the whole budget waits a full window (and fails again)
            long freed = 0;
            for (Entry e : entries) {
                freed += e.tokens();
                if (tokensInWindow - freed + tokens <= maxTokens) {
                    wait = e.atNanos() + windowNanos - now;
                    break;
                }
            }
            return new Decision(false, Duration.ofNanos(Math.max(wait, 1)), "tokens", maxTokens, remaining());
        }
        entries.addLast(new Entry(now, tokens));
        tokensInWindow += tokens;
        return new Decision(true, Duration.ZERO, "", 0, remaining());
    }

    private long remaining() {
        return maxRequests > 0 ? maxRequests - entries.size() : Long.MAX_VALUE;
    }

    synchronized void reset() {
        entries.clear();
        tokensInWindow = 0;
    }
}
