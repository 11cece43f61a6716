package dev.parallelrag.embed;

import java.util.List;

/**
 * A model that turns texts into vectors: a local ONNX model or a remote provider endpoint.
 * {@link #embedBatch} is one unit of work (one inference call or one HTTP request); batching,
 * concurrency, retries and stats live in the {@code EmbeddingClient} that wraps a model.
 */
public interface EmbeddingModel extends AutoCloseable {

    /** Stable identifier of model and variant, e.g. {@code local/all-minilm-l6-v2}; part of chunk identity. */
    String modelId();

    /** Vector dimension, or 0 when not yet known (remote models learn it from the first response). */
    int dimension();

    /** Largest number of texts per {@link #embedBatch} call. */
    int maxBatchSize();

    /** Largest total token count per {@link #embedBatch} call. */
    int maxBatchTokens();

    /** Embeds one batch; vectors come back in input order, one per text. */
    List<float[]> embedBatch(List<String> texts);

    @Override
    default void close() {
    }
}
