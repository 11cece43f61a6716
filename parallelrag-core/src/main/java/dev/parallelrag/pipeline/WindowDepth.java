package dev.parallelrag.pipeline;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run's count of what is in one of the pipeline's bounded windows, added into a gauge that all runs share: an
 * item counts from when the window pulls it from its source until the writer takes its result. Used on the writer
 * thread only (a window's source is read on its consumer's thread); closing takes off what a stopped or failed run
 * left in the window.
 */
final class WindowDepth implements AutoCloseable {

    /** Counts nothing: a pipeline without meters pays for no wrapping. */
    static final WindowDepth NONE = new WindowDepth(null);

    private final AtomicLong total; // null for NONE
    private long mine;

    WindowDepth(AtomicLong total) {
        this.total = total;
    }

    /** The source, counting each item it hands to the window. */
    <T> Iterator<T> filling(Iterator<T> source) {
        if (total == null) {
            return source;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public T next() {
                T item = source.next();
                mine++;
                total.incrementAndGet();
                return item;
            }
        };
    }

    /** An item's result left the window. */
    void took() {
        if (total != null) {
            mine--;
            total.decrementAndGet();
        }
    }

    @Override
    public void close() {
        if (total != null) {
            total.addAndGet(-mine);
            mine = 0;
        }
    }
}
