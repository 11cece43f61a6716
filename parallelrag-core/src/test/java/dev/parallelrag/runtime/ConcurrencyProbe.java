package dev.parallelrag.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records how many tasks run at once and on which threads. Each task waits at a barrier of
 * {@code expected} parties, so a batch only completes if {@code expected} tasks really run together;
 * the barrier's timeout is a liveness guard (it turns a too-small pool into a failure, not a hang).
 */
final class ConcurrencyProbe {
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final Set<String> threadNames = ConcurrentHashMap.newKeySet();
    private final Set<Boolean> virtual = ConcurrentHashMap.newKeySet();
    private final CyclicBarrier barrier;

    ConcurrencyProbe(int expected) {
        this.barrier = new CyclicBarrier(expected);
    }

    String enter(Object item) throws Exception {
        int now = running.incrementAndGet();
        max.accumulateAndGet(now, Math::max);
        threadNames.add(Thread.currentThread().getName());
        virtual.add(Thread.currentThread().isVirtual());
        try {
            barrier.await(20, TimeUnit.SECONDS);
            return "done-" + item;
        } finally {
            running.decrementAndGet();
        }
    }

    int max() {
        return max.get();
    }

    Set<String> threadNames() {
        return threadNames;
    }

    Set<Boolean> virtualFlags() {
        return virtual;
    }
}
