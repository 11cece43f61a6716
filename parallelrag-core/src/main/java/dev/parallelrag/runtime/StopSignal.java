package dev.parallelrag.runtime;

import dev.parallelrag.error.StoppedException;
import dev.parallelrag.error.ValidationException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Stops a run in an orderly way, from any thread: a batch ({@link ParallelRuntime#mapIo}, {@code
 * LlmClient.completeBatch}, {@code EmbeddingClient.embedBatchParallel}) or an ingest ({@code
 * IngestOptions.stop}). After {@link #stop()}:
 * <ol>
 *   <li>no new item starts; each item that had not started gets a {@link StoppedException} as its outcome;</li>
 *   <li>items already running go on for up to the {@linkplain #grace() grace}, and their results are kept;</li>
 *   <li>when the grace runs out, the threads still running an item are interrupted (an HTTP call in flight is
 *       cancelled), and such an item's failure becomes a {@link StoppedException} too;</li>
 *   <li>the run returns as usual, with every outcome in input order, so the caller writes what finished.</li>
 * </ol>
 * An ingest commits every document it finished and none half-written, so the same ingest run again finishes it.
 *
 * <p>One signal may be shared by several runs that should stop together. Thread-safe.
 */
public final class StopSignal {

    /** How long running items may go on after {@link #stop()}, unless the signal is made with another grace. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /** The longest grace accepted: a stop is meant to end the run soon (a service manager kills it after 90 s). */
    public static final Duration MAX_GRACE = Duration.ofHours(1);

    private static final StopSignal NEVER = new StopSignal(DEFAULT_GRACE, false);
    private static final Running NOT_TRACKED = () -> { };

    private final Duration grace;
    private final boolean stoppable;
    private final Set<Thread> running = new HashSet<>();
    private volatile boolean stopped;
    private volatile boolean graceOver;

    private StopSignal(Duration grace, boolean stoppable) {
        this.grace = grace;
        this.stoppable = stoppable;
    }

    /** A signal with {@link #DEFAULT_GRACE}. */
    public static StopSignal create() {
        return new StopSignal(DEFAULT_GRACE, true);
    }

    /**
     * A signal whose running items get {@code grace} after the stop; zero cuts them off at once.
     *
     * @throws ValidationException when the grace is null, negative or more than {@link #MAX_GRACE}
     */
    public static StopSignal withGrace(Duration grace) {
        if (grace == null || grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw new ValidationException("stopGrace", grace, "must be between 0 and " + MAX_GRACE.toMinutes()
                    + " minutes (e.g. 10s, the default); 0 cuts off the requests in flight at once");
        }
        return new StopSignal(grace, true);
    }

    /** A signal that is never stopped: what a run without one uses. {@link #stop()} on it is refused. */
    public static StopSignal never() {
        return NEVER;
    }

    /** How long running items may go on after the stop. */
    public Duration grace() {
        return grace;
    }

    /**
     * Stops the runs that use this signal: nothing new starts, and what runs is cut off after the grace. Returns
     * at once; the runs return their outcomes to their callers. Idempotent: the first call starts the grace.
     *
     * @throws IllegalStateException on {@link #never()}
     */
    public void stop() {
        if (!stoppable) {
            throw new IllegalStateException("StopSignal.never() cannot be stopped; give the run a StopSignal.create()");
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        if (grace.isZero()) {
            endGrace();
        } else {
            Thread.ofVirtual().name("parallelrag-stop-grace").start(() -> {
                try {
                    Thread.sleep(grace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                endGrace();
            });
        }
    }

    /** Whether {@link #stop()} was called. */
    public boolean isStopped() {
        return stopped;
    }

    /** Whether the grace after the stop has run out (items still running then are cut off). */
    public boolean graceOver() {
        return graceOver;
    }

    /** The outcome error of an item that had not started when the run was stopped. */
    public StoppedException notStarted() {
        return new StoppedException("not run: the run was stopped before this item started; run it again"
                + " (for example with --retry-failed) to finish it");
    }

    /**
     * The error an item ended with, as it should be reported: a failure after the grace ran out was caused by the
     * stop (an interrupted call), so it becomes a {@link StoppedException} with the original as its cause.
     */
    public Throwable outcomeError(Throwable error) {
        return error instanceof RuntimeException e ? outcomeError(e) : graceOver ? cutOff(error) : error;
    }

    /** {@link #outcomeError(Throwable)} for an unchecked error. */
    public RuntimeException outcomeError(RuntimeException error) {
        return !graceOver || error instanceof StoppedException ? error : cutOff(error);
    }

    private StoppedException cutOff(Throwable error) {
        return new StoppedException("cut off: still running when the " + grace.toMillis()
                + " ms stop grace ran out; run it again (for example with --retry-failed) to finish it", error);
    }

    /**
     * Runs one item on the calling thread under this signal, for work that is a single item rather than a batch
     * (a streamed answer): refused with {@link #notStarted()} when the signal was stopped already; when the grace
     * ends while it runs, the thread is interrupted (an HTTP call in flight is cancelled) and its failure becomes a
     * {@link StoppedException}. An interrupt meant for the item does not outlive it.
     */
    public <T> T runItem(Supplier<T> item) {
        if (stopped) {
            throw notStarted();
        }
        try (Running span = running()) {
            return item.get();
        } catch (RuntimeException e) {
            throw outcomeError(e);
        }
    }

    /**
     * Marks the calling thread as running an item until the returned handle is closed, so that the end of the
     * grace interrupts it (the runtime's batches and streams run each item inside one).
     */
    Running running() {
        if (!stoppable) {
            return NOT_TRACKED;
        }
        Thread self = Thread.currentThread();
        synchronized (running) {
            if (graceOver) {
                self.interrupt(); // started after the grace: cut off at once
            } else {
                running.add(self);
            }
        }
        return () -> {
            synchronized (running) {
                running.remove(self);
            }
            if (graceOver) {
                Thread.interrupted(); // an interrupt meant for this item must not reach the thread's next task
            }
        };
    }

    /** The source's items until the stop: once stopped, it reports no more, so a stream stops pulling new input. */
    public <T> Iterator<T> untilStopped(Iterator<T> source) {
        if (!stoppable) {
            return source;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !stopped && source.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return source.next();
            }
        };
    }

    private void endGrace() {
        synchronized (running) {
            graceOver = true;
            running.forEach(Thread::interrupt);
        }
    }

    @Override
    public String toString() {
        return "StopSignal[" + (stoppable ? "grace " + grace : "never") + (stopped ? ", stopped" : "") + "]";
    }

    /** The span of one running item; closing it ends the span. */
    @FunctionalInterface
    interface Running extends AutoCloseable {
        @Override
        void close();
    }
}
