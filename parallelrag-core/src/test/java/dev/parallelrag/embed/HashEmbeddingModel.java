package dev.parallelrag.embed;

import dev.parallelrag.error.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process model for client tests: vectors derived from the text's bytes, a transient 503 on every
 * {@code failEvery}-th call, and a permanent 400 for any batch holding a text with "POISON".
 */
final class HashEmbeddingModel implements EmbeddingModel {

    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    private final int dimension;
    private final int maxBatch;
    private final int maxTokens;
    private final int failEvery;
    private final EmbeddingSpace space;

    HashEmbeddingModel(int dimension, int maxBatch, int maxTokens, int failEvery) {
        this(dimension, maxBatch, maxTokens, failEvery, new EmbeddingSpace("test", "test/hash", "hash-v1", 0, false));
    }

    /** With the space a test gives it (its id is the space's). */
    HashEmbeddingModel(int dimension, int maxBatch, int maxTokens, int failEvery, EmbeddingSpace space) {
        this.dimension = dimension;
        this.maxBatch = maxBatch;
        this.maxTokens = maxTokens;
        this.failEvery = failEvery;
        this.space = space;
    }

    static float[] vectorOf(String text, int dim) {
        float[] v = new float[dim];
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            v[i % dim] += b[i] * (i + 1);
        }
        v[0] += text.hashCode();
        return v;
    }

    @Override
    public String modelId() {
        return space.modelId();
    }

    /** By default a revision the id does not carry, so a wrapper that lost the model's own space would show. */
    @Override
    public EmbeddingSpace space() {
        return space;
    }

    @Override
    public int dimension() {
        return 0; // learned from the first response, like a remote model without a configured dimension
    }

    @Override
    public int maxBatchSize() {
        return maxBatch;
    }

    @Override
    public int maxBatchTokens() {
        return maxTokens;
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        int n = calls.incrementAndGet();
        if (failEvery > 0 && n % failEvery == 0) {
            throw new ProviderException("injected", 503, "busy", true);
        }
        if (texts.stream().anyMatch(t -> t.contains("POISON"))) {
            throw new ProviderException("rejected", 400, "{\"error\":\"bad input\"}", false);
        }
        batchSizes.add(texts.size());
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(vectorOf(t, dimension));
        }
        return out;
    }
}
