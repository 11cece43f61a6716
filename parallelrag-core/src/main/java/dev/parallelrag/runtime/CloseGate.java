package dev.parallelrag.runtime;

import dev.parallelrag.Internal;
import dev.parallelrag.error.ClosedException;
import java.time.Duration;
import java.util.Objects;

/**
 * The rule for closing a resource under its users: once {@link #close()} is called, new calls are refused
 * with a {@link ClosedException}; calls already inside may finish, and the closer waits for them
 * ({@link #awaitIdle}) before it frees what they use. Each call is bracketed by {@link #enter()} and
 * {@link #exit()}, in a {@code try/finally}.
 *
 * <p>Thread-safe. Waiting uses the gate's monitor, so it needs no thread of its own.
 */
@Internal
public final class CloseGate {

    private final String closedMessage;
    private int inside;
    private boolean closed;

    /** @param closedMessage what a refused call is told, e.g. "model X is closed; open a new one" */
    public CloseGate(String closedMessage) {
        this.closedMessage = Objects.requireNonNull(closedMessage, "closedMessage");
    }

    /** Lets a call in, or refuses it with a {@link ClosedException} once the gate is closed. */
    public synchronized void enter() {
        if (closed) {
            throw new ClosedException(closedMessage);
        }
        inside++;
    }

    /** The call that {@link #enter() entered} has left. */
    public synchronized void exit() {
        if (inside <= 0) {
            throw new IllegalStateException("exit() without enter()");
        }
        if (--inside == 0) {
            notifyAll();
        }
    }

    /** Refuses every later {@link #enter()}; calls already inside go on. Returns true for the call that closed it. */
    public synchronized boolean close() {
        boolean first = !closed;
        closed = true;
        return first;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Calls inside now. */
    public synchronized int inside() {
        return inside;
    }

    /**
     * Waits until no call is inside, at most {@code bound}. Returns false when calls were still inside at the
     * bound (or the waiting thread was interrupted: its interrupt flag is then set again).
     */
    public synchronized boolean awaitIdle(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (inside > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                long millis = Math.max(1, left / 1_000_000);
                wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return inside == 0;
            }
        }
        return true;
    }

    /** A message for a call refused by this gate, as {@link #enter()} would throw it. */
    public ClosedException closedError() {
        return new ClosedException(closedMessage);
    }
}
