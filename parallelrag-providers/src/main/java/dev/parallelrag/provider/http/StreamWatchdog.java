package dev.parallelrag.provider.http;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches one streamed response: when the provider stays silent longer than the idle timeout while the
 * reader waits for its next line, or the whole stream outlives its deadline, it closes the response
 * stream, which wakes the blocked reader with an {@link IOException}. The reader then asks
 * {@link #expired()} which limit was hit. Time spent in the reader's own handler (the caller's
 * {@code onDelta}) does not count as silence: only waits for the provider do.
 *
 * <p>Why close the stream instead of interrupting the reader: the reader is the caller's thread, which
 * also runs the caller's code; an interrupt could land there (and closes any interruptible channel it
 * uses). Closing the HTTP stream ends only the exchange.
 */
final class StreamWatchdog implements AutoCloseable {

    /** Which limit a stream broke. */
    enum Limit { IDLE, DEADLINE }

    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final Closeable stream;
    private final long idleNanos;
    private final long deadlineAt;
    private final Duration idle;
    private final Duration deadline;
    private final Thread thread;
    private volatile long waitingSince = NOT_WAITING;
    private volatile Limit expired;
    private volatile boolean done;

    /** Starts watching; {@code startedAt} ({@link System#nanoTime()}) is when the request was sent. */
    StreamWatchdog(Closeable stream, Duration idle, Duration deadline, long startedAt) {
        this.stream = stream;
        this.idle = idle;
        this.deadline = deadline;
        this.idleNanos = idle.toNanos();
        this.deadlineAt = startedAt + deadline.toNanos();
        this.thread = Thread.ofVirtual().name("parallelrag-stream-watchdog").start(this::watch);
    }

    /** The reader is about to wait for the provider's next line. */
    void waiting() {
        waitingSince = System.nanoTime();
    }

    /** A line arrived; the reader is busy with it. */
    void received() {
        waitingSince = NOT_WAITING;
    }

    /** The limit that closed the stream, or null while none did. */
    Limit expired() {
        return expired;
    }

    /** The length of the limit that closed the stream. */
    Duration limit(Limit which) {
        return which == Limit.IDLE ? idle : deadline;
    }

    private void watch() {
        while (!done) {
            long now = System.nanoTime();
            if (now - deadlineAt >= 0) {
                expire(Limit.DEADLINE);
                return;
            }
            long since = waitingSince;
            long next = deadlineAt;
            if (since != NOT_WAITING) {
                if (now - since >= idleNanos) {
                    expire(Limit.IDLE);
                    return;
                }
                next = Math.min(next, since + idleNanos);
            } else {
                next = Math.min(next, now + idleNanos);
            }
            LockSupport.parkNanos(this, Math.max(1_000_000L, next - now));
        }
    }

    private void expire(Limit which) {
        if (done) {
            return;
        }
        expired = which;
        try {
            stream.close();
        } catch (IOException e) {
            // closing is how the reader is woken; a failure to close leaves it to the connection's end
        }
    }

    /** Stops watching; the stream is closed by its reader. */
    @Override
    public void close() {
        done = true;
        LockSupport.unpark(thread);
    }
}
