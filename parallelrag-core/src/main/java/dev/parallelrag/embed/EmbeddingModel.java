package dev.parallelrag.embed;

import java.util.List;
import java.util.Map;

/**
 * A model that turns texts into vectors: a local ONNX model or a remote provider endpoint.
 * {@link #embedBatch} is one unit of work (one inference call or one HTTP request); batching,
 * concurrency, retries and stats live in the {@code EmbeddingClient} that wraps a model.
 */
public interface EmbeddingModel extends AutoCloseable {

    /** Stable identifier of model and variant, e.g. {@code local/all-minilm-l6-v2}; part of chunk identity. */
    String modelId();

    /**
     * The vector space this model embeds into: what an embedding cache keys by, and what must match for
     * two models' vectors to be mixed. By default derived from {@link #modelId()} alone; models whose id
     * does not pin their weights, dimension or normalisation override it.
     */
    default EmbeddingSpace space() {
        return EmbeddingSpace.of(modelId());
    }

    /** Vector dimension, or 0 when not yet known (remote models learn it from the first response). */
    int dimension();

    /** Largest number of texts per {@link #embedBatch} call. */
    int maxBatchSize();

    /** Largest total token count per {@link #embedBatch} call. */
    int maxBatchTokens();

    /** Embeds one batch; vectors come back in input order, one per text. */
    List<float[]> embedBatch(List<String> texts);

    /**
     * Cumulative counters since the model was created, named in snake_case (for example an embedding
     * cache's {@code cache_hits}, or a local model's {@code texts_inferred}). The ingest summary reports
     * how much each moved during a run. Empty by default.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    default void close() {
    }
}
