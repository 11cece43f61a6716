package dev.parallelrag.health;

import dev.parallelrag.error.AuthenticationException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The recent requests of one client, as health judges them: a ring of {@value #BUCKETS} time buckets that
 * together span the policy's window, so memory is fixed and a failure stops counting once its bucket is
 * older than the window. Lifetime stats are kept elsewhere ({@code StatsRecorder}); this feeds health only.
 *
 * <p>Each finished request lands in one of three piles: a success (with whether it was slower than the
 * policy's two p95 thresholds), a counted failure (5xx, 408, 429, timeouts, connection errors, an open
 * breaker, a response that cannot be used), or a caller error (bad input, a rejected key, any other 4xx),
 * which says nothing about the provider and stays out of the failure rate. Requests the client makes on
 * its own behalf, such as the halving probes that isolate one bad text in a rejected batch, are not
 * recorded at all.
 *
 * <p>Thread-safe: recording is a short synchronized update of the current bucket.
 */
public final class RequestWindow {

    /** Buckets per window: 30 gives 10 s buckets for the default 5 minutes. */
    static final int BUCKETS = 30;

    private final Clock clock;
    private final Duration window;
    private final long bucketMillis;
    private final long degradedNanos;
    private final long downNanos;
    private final long[] epoch = new long[BUCKETS];
    private final long[] successes = new long[BUCKETS];
    private final long[] failures = new long[BUCKETS];
    private final long[] callerErrors = new long[BUCKETS];
    private final long[] slowerThanDegraded = new long[BUCKETS];
    private final long[] slowerThanDown = new long[BUCKETS];

    /** A window of the policy's length and latency thresholds, read on {@code clock}. */
    public RequestWindow(ClientHealthPolicy policy, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = policy.window();
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
        this.degradedNanos = policy.degradedP95().toNanos();
        this.downNanos = policy.downP95().toNanos();
        java.util.Arrays.fill(epoch, Long.MIN_VALUE);
    }

    /** A request that succeeded after {@code nanos}, retries and waits included. */
    public synchronized void success(long nanos) {
        int b = current();
        successes[b]++;
        if (nanos > degradedNanos) {
            slowerThanDegraded[b]++;
        }
        if (nanos > downNanos) {
            slowerThanDown[b]++;
        }
    }

    /** A request that failed: a caller error is kept apart, anything else counts against the provider. */
    public synchronized void failure(Throwable error) {
        int b = current();
        if (isCallerError(error)) {
            callerErrors[b]++;
        } else {
            failures[b]++;
        }
    }

    /**
     * True for a failure the caller caused: invalid input, a rejected key, or an HTTP 4xx other than 408
     * (request timeout) and 429 (rate limited), which are the provider's load and count against it.
     */
    public static boolean isCallerError(Throwable error) {
        if (error instanceof ValidationException || error instanceof AuthenticationException) {
            return true;
        }
        return error instanceof ProviderException p && p.status() >= 400 && p.status() < 500
                && p.status() != 408 && p.status() != 429;
    }

    /** The counts of the buckets that are still inside the window. */
    public synchronized Counts counts() {
        long now = clock.millis() / bucketMillis;
        long ok = 0;
        long failed = 0;
        long caller = 0;
        long slowDegraded = 0;
        long slowDown = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (epoch[i] != Long.MIN_VALUE && now - epoch[i] < BUCKETS) {
                ok += successes[i];
                failed += failures[i];
                caller += callerErrors[i];
                slowDegraded += slowerThanDegraded[i];
                slowDown += slowerThanDown[i];
            }
        }
        return new Counts(window, ok, failed, caller, slowDegraded, slowDown);
    }

    /** The bucket of the present moment, emptied first when it last held an older time slice. */
    private int current() {
        long e = clock.millis() / bucketMillis;
        int b = (int) Math.floorMod(e, BUCKETS);
        if (epoch[b] != e) {
            epoch[b] = e;
            successes[b] = 0;
            failures[b] = 0;
            callerErrors[b] = 0;
            slowerThanDegraded[b] = 0;
            slowerThanDown[b] = 0;
        }
        return b;
    }

    /**
     * What the window holds.
     *
     * @param window             the span counted
     * @param successes          requests that succeeded
     * @param failures           requests that failed for a reason that counts against the provider
     * @param callerErrors       requests that failed for the caller's reason (left out of the rate)
     * @param slowerThanDegraded successes slower than the policy's {@code degradedP95}
     * @param slowerThanDown     successes slower than the policy's {@code downP95}
     */
    public record Counts(Duration window, long successes, long failures, long callerErrors, long slowerThanDegraded,
                         long slowerThanDown) {

        /** Requests the failure rate is computed over: successes and counted failures. */
        public long counted() {
            return successes + failures;
        }

        /** successes / counted, 1.0 with nothing counted. */
        public double successRate() {
            return counted() == 0 ? 1.0 : successes / (double) counted();
        }

        /**
         * Whether the nearest-rank 95th percentile of the successes' latency is above a threshold, given how
         * many successes were slower than it: true when the slow ones reach into the top 5 % rank.
         */
        static boolean p95Above(long successes, long slower) {
            if (successes == 0) {
                return false;
            }
            long rank = (long) Math.ceil(0.95 * successes); // the p95 is the rank-th fastest success
            return slower >= successes - rank + 1;
        }

        public boolean p95AboveDegraded() {
            return p95Above(successes, slowerThanDegraded);
        }

        public boolean p95AboveDown() {
            return p95Above(successes, slowerThanDown);
        }
    }
}
