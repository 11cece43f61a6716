package dev.parallelrag.bench.server;

import java.util.concurrent.atomic.AtomicInteger;

/** Streams open right now (response headers in, end not yet read) and the most that were open at once. */
final class OpenStreams {

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void opened() {
        peak.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    void closed() {
        open.decrementAndGet();
    }

    int peak() {
        return peak.get();
    }
}
