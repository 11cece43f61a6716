package dev.parallelrag.pipeline;

import dev.parallelrag.embed.EmbeddingModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link HashingEmbeddingModel}'s vectors at a pace a test sets: small calls, each taking {@code perCall}, and
 * optionally held until the test opens a gate. Both waits are interruptible, as an HTTP call is, and an interrupt
 * is counted; so a test sees a run in progress, stops it mid-way, and tells a call cut off from one let finish.
 */
public final class PacedEmbeddingModel implements EmbeddingModel {

    private final HashingEmbeddingModel vectors;
    private final int batchSize;
    private final Duration perCall;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();

    public PacedEmbeddingModel(int dimension, int batchSize, Duration perCall) {
        this.vectors = new HashingEmbeddingModel(dimension);
        this.batchSize = batchSize;
        this.perCall = perCall;
    }

    /** Holds every call from now on at the gate, until {@link #open()}. */
    public void holdCalls() {
        gate = new CountDownLatch(1);
    }

    /** Lets the held calls, and every later one, go on. */
    public void open() {
        gate.countDown();
    }

    /** Calls started. */
    public int calls() {
        return calls.get();
    }

    /** Calls held at the gate right now. */
    public int waiting() {
        return waiting.get();
    }

    /** Calls that were interrupted while they waited. */
    public int interrupted() {
        return interrupted.get();
    }

    @Override
    public String modelId() {
        return vectors.modelId();
    }

    @Override
    public int dimension() {
        return vectors.dimension();
    }

    @Override
    public int maxBatchSize() {
        return batchSize;
    }

    @Override
    public int maxBatchTokens() {
        return vectors.maxBatchTokens();
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        calls.incrementAndGet();
        try {
            waiting.incrementAndGet();
            try {
                gate.await();
            } finally {
                waiting.decrementAndGet();
            }
            Thread.sleep(perCall);
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("embedding call interrupted", e);
        }
        return vectors.embedBatch(texts);
    }
}
