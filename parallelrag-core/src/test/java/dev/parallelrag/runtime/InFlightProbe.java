package dev.parallelrag.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the work of a fake model to record how many calls run at once and on which threads. Each call
 * lingers until {@code lingerFor} calls run together (or half a second passed), so calls that may run in
 * parallel really overlap, and the peak shows the bound that was applied.
 */
public final class InFlightProbe {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final int lingerFor;

    public InFlightProbe(int lingerFor) {
        this.lingerFor = lingerFor;
    }

    /** Marks one call running for as long as it lingers. */
    public void enter() {
        threads.add(Thread.currentThread().getName());
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (inFlight.get() < lingerFor && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The most calls that ran at once. */
    public int peak() {
        return peak.get();
    }

    /** The names of the threads calls ran on. */
    public Set<String> threads() {
        return threads;
    }
}
