package dev.parallelrag.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies a task to every item of a list with at most {@code parallelism} items running at once,
 * and returns one {@link Outcome} per item in input order.
 *
 * <p>Why workers instead of one task per item: {@code parallelism} workers pull the next index from a
 * shared counter, so concurrency is bounded exactly, nothing queues up per item, and a slow item
 * never holds back the start of later ones.
 */
final class OrderedBatch {

    private OrderedBatch() {
    }

    static <T, R> List<Outcome<R>> map(List<? extends T> items, Executor executor, int parallelism,
                                       ItemTask<? super T, ? extends R> task) {
        return map(items, executor, parallelism, StopSignal.never(), task);
    }

    /** As {@link #map(List, Executor, int, ItemTask)}; after the stop no item starts, and each not started fails. */
    static <T, R> List<Outcome<R>> map(List<? extends T> items, Executor executor, int parallelism, StopSignal stop,
                                       ItemTask<? super T, ? extends R> task) {
        int n = items.size();
        @SuppressWarnings("unchecked")
        Outcome<R>[] results = new Outcome[n];
        if (n == 0) {
            return List.of();
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean abort = new AtomicBoolean();
        Runnable worker = () -> {
            int i;
            while (!abort.get() && !stop.isStopped() && (i = next.getAndIncrement()) < n) {
                T item = items.get(i);
                try {
                    results[i] = run(item, stop, task);
                } catch (Error e) {
                    abort.set(true); // an Error is not one item's outcome: stop the batch
                    throw e;
                }
            }
        };
        int workers = Math.min(parallelism, n);
        List<CompletableFuture<Void>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(CompletableFuture.runAsync(worker, executor));
        }
        await(futures, abort);
        for (int i = 0; i < n; i++) {
            if (results[i] == null) { // only a stop leaves an item without an outcome
                results[i] = Outcome.failure(stop.notStarted());
            }
        }
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    /** Runs one item inside the stop's grace: cut off when the grace runs out, and then reported as stopped. */
    static <T, R> Outcome<R> run(T item, StopSignal stop, ItemTask<? super T, ? extends R> task) {
        Outcome<R> outcome;
        try (StopSignal.Running ignored = stop.running()) {
            outcome = Outcome.capture(() -> task.apply(item));
        }
        return outcome instanceof Outcome.Failure<R> f ? Outcome.failure(stop.outcomeError(f.error())) : outcome;
    }

    private static void await(List<CompletableFuture<Void>> futures, AtomicBoolean abort) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        } catch (InterruptedException e) {
            abort.set(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a parallel batch; remaining items were skipped");
        } catch (ExecutionException e) {
            abort.set(true);
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("parallel batch worker failed", cause);
        }
    }
}
