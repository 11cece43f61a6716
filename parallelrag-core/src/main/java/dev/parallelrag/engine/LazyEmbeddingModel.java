package dev.parallelrag.engine;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.EmbeddingSpace;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engine's view of the index's embedder: it knows the recorded spec at once and builds the model on
 * first real use, so work that needs no vector (keyword search, stats) loads no model and needs no key.
 * The engine owns the model: {@link #close()} leaves it open (a cache wrapped around this view for one
 * ingest may close it), {@link #release()} closes it. Thread-safe.
 */
final class LazyEmbeddingModel implements EmbeddingModel {

    private final EmbedderSpec recorded;
    private final Supplier<EmbeddingModel> factory;
    private volatile EmbeddingModel model;

    LazyEmbeddingModel(EmbedderSpec recorded, Supplier<EmbeddingModel> factory) {
        this.recorded = recorded;
        this.factory = factory;
    }

    /** The model, built on the first call. */
    EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = factory.get();
                    model = m;
                }
            }
        }
        return m;
    }

    boolean loaded() {
        return model != null;
    }

    /** The model if it was built, else null; never builds it. */
    EmbeddingModel loadedModel() {
        return model;
    }

    @Override
    public String modelId() {
        return recorded.modelId();
    }

    /** The loaded model's spec, or the recorded one (the query prefix is always the recorded one). */
    @Override
    public EmbedderSpec spec() {
        EmbeddingModel m = model;
        if (m == null) {
            return recorded;
        }
        EmbedderSpec live = m.spec();
        return live.withQueryPrefix(recorded.queryPrefix()).withDimension(live.dimension() > 0 ? live.dimension() : recorded.dimension());
    }

    @Override
    public int dimension() {
        return recorded.dimension() > 0 && model == null ? recorded.dimension() : model().dimension();
    }

    @Override
    public EmbeddingSpace space() {
        return model().space();
    }

    @Override
    public int maxBatchSize() {
        return model().maxBatchSize();
    }

    @Override
    public int maxBatchTokens() {
        return model().maxBatchTokens();
    }

    @Override
    public int preferredConcurrency() {
        return model().preferredConcurrency();
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        return model().embedBatch(texts);
    }

    @Override
    public Map<String, Long> counters() {
        EmbeddingModel m = model;
        return m == null ? Map.of() : m.counters();
    }

    /** Leaves the model open: the engine owns it. */
    @Override
    public void close() {
    }

    /** Closes the model if it was built. */
    synchronized void release() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    @Override
    public String toString() {
        return "LazyEmbeddingModel[" + recorded.modelId() + (model == null ? ", not loaded]" : "]");
    }
}
