package dev.parallelrag.onnx;

/**
 * What the model cache ({@link OnnxEmbeddingConfig#modelCacheDirectory()}) did when a model was loaded.
 * {@link OnnxEmbeddingModel#modelLoad()} tells it, for example to check that the cache is being used.
 */
public enum ModelCacheOutcome {
    /** Loaded from a verified cache entry: the model was neither read from its source nor fused. */
    HIT,
    /** No entry yet: the model was read, fused and stored, so the next load is a hit. */
    STORED,
    /** The entry failed verification or ONNX Runtime rejected it: it was deleted, rebuilt and stored anew. */
    REBUILT,
    /** The cache is turned off in the configuration. */
    OFF,
    /** The cache directory could not be created or written: loaded the uncached way. */
    UNAVAILABLE,
    /**
     * Nothing to cache: a model file loaded as it is (fusions off, or nothing in the graph to fuse), a graph the
     * fusions failed on, or a file that is not an ONNX model.
     */
    NOT_APPLICABLE
}
