package dev.parallelrag.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Maps an iterator of items through a task in parallel, yielding one {@link Outcome} per item in input
 * order. At most {@code window} items are pulled from the source and not yet handed to the consumer,
 * so memory stays flat whatever the input size; a slow consumer slows the source (back-pressure).
 *
 * <p>The source is read on the consumer's thread, as the consumer asks for results. Not thread-safe:
 * one consumer per instance, like any iterator. {@link #close()} skips tasks that have not started and waits
 * for the ones running: once it returns, no task of this stream touches anything the caller goes on to close
 * (a model, a store). A running task is not interrupted, so that wait is bounded by the task's own limits.
 */
final class OrderedStream<T, R> implements Iterator<Outcome<R>>, AutoCloseable {

    private final Iterator<? extends T> source;
    private final Executor executor;
    private final int window;
    private final Semaphore concurrency; // null when the executor itself bounds concurrency
    private final ItemTask<? super T, ? extends R> task;
    private final StopSignal stop;
    private final Deque<CompletableFuture<Outcome<R>>> pending = new ArrayDeque<>();
    private volatile boolean closed;

    OrderedStream(Iterator<? extends T> source, Executor executor, int window, Semaphore concurrency,
                  ItemTask<? super T, ? extends R> task) {
        this(source, executor, window, concurrency, StopSignal.never(), task);
    }

    /**
     * As the other constructor; after the stop, an item pulled but not started yet gets the stop's
     * {@link StopSignal#notStarted()} failure, and a running one is cut off when the grace runs out.
     */
    OrderedStream(Iterator<? extends T> source, Executor executor, int window, Semaphore concurrency, StopSignal stop,
                  ItemTask<? super T, ? extends R> task) {
        this.stop = stop;
        this.source = source;
        this.executor = executor;
        this.window = window;
        this.concurrency = concurrency;
        this.task = task;
    }

    @Override
    public boolean hasNext() {
        fill();
        return !pending.isEmpty();
    }

    @Override
    public Outcome<R> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CompletableFuture<Outcome<R>> head = pending.poll();
        Outcome<R> result = await(head);
        fill(); // keep the pipeline busy while the consumer works on this result
        return result;
    }

    private void fill() {
        while (!closed && pending.size() < window && source.hasNext()) {
            T item = source.next();
            pending.add(CompletableFuture.supplyAsync(() -> run(item), executor));
        }
    }

    private Outcome<R> run(T item) {
        if (closed) {
            return Outcome.failure(new CancellationException("stream closed before this item started"));
        }
        if (stop.isStopped()) {
            return Outcome.failure(stop.notStarted());
        }
        if (concurrency == null) {
            return OrderedBatch.run(item, stop, task);
        }
        try {
            concurrency.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure(new CancellationException("interrupted while waiting for a concurrency permit"));
        }
        try {
            if (closed) {
                return Outcome.failure(new CancellationException("stream closed before this item started"));
            }
            if (stop.isStopped()) {
                return Outcome.failure(stop.notStarted());
            }
            return OrderedBatch.run(item, stop, task);
        } finally {
            concurrency.release();
        }
    }

    private Outcome<R> await(CompletableFuture<Outcome<R>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the next result");
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("parallel stream task failed", cause);
        }
    }

    /** Skips the tasks not started yet and waits for the running ones to end. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<Outcome<R>> f : pending) {
            try {
                f.join(); // a task not started yet sees `closed` and ends at once
            } catch (RuntimeException ignored) {
                // its outcome is dropped with the rest of the stream
            }
        }
        pending.clear();
    }
}
