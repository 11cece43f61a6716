package dev.parallelrag.pipeline;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the ingest pipeline and {@link Rag} need from an embedder: one call per batch, vectors in input
 * order. Adapt an {@code EmbeddingModel} with {@link #of(EmbeddingModel)}, or pass an
 * {@code EmbeddingClient}'s batch method (with its retries, limits and stats) as a lambda.
 */
public interface BatchEmbedder {

    /** Stable id of the model; stored with every chunk and part of the dedupe check. */
    String modelId();

    /** Largest number of texts per {@link #embed} call. */
    int maxBatchSize();

    /** Largest estimated token count per {@link #embed} call. */
    int maxBatchTokens();

    /** Embeds a batch; one vector per text, in input order. Throws when the batch fails. */
    List<float[]> embed(List<String> texts);

    /** The model's cumulative counters (see {@link EmbeddingModel#counters()}); empty by default. */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /** What the index records about the model; see {@link EmbeddingModel#spec()}. */
    default EmbedderSpec spec() {
        return EmbedderSpec.custom(modelId(), 0);
    }

    /** Calls kept in flight by default; see {@link EmbeddingModel#preferredConcurrency()}. */
    default int preferredConcurrency() {
        return 2;
    }

    /** Calls the model directly. */
    static BatchEmbedder of(EmbeddingModel model) {
        Objects.requireNonNull(model, "model");
        return new BatchEmbedder() {
            @Override
            public String modelId() {
                return model.modelId();
            }

            @Override
            public int maxBatchSize() {
                return model.maxBatchSize();
            }

            @Override
            public int maxBatchTokens() {
                return model.maxBatchTokens();
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                return model.embedBatch(texts);
            }

            @Override
            public Map<String, Long> counters() {
                return model.counters();
            }

            @Override
            public EmbedderSpec spec() {
                return model.spec();
            }

            @Override
            public int preferredConcurrency() {
                return model.preferredConcurrency();
            }

            @Override
            public String toString() {
                return "BatchEmbedder[" + model.modelId() + "]";
            }
        };
    }

    /** Goes through the client: request batching, retries, circuit breaker, limits and stats. */
    static BatchEmbedder of(EmbeddingClient client) {
        Objects.requireNonNull(client, "client");
        EmbeddingModel model = client.model();
        return new BatchEmbedder() {
            @Override
            public String modelId() {
                return client.modelId();
            }

            @Override
            public int maxBatchSize() {
                return model.maxBatchSize();
            }

            @Override
            public int maxBatchTokens() {
                return model.maxBatchTokens();
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                return client.embedMany(texts);
            }

            @Override
            public Map<String, Long> counters() {
                return model.counters();
            }

            @Override
            public EmbedderSpec spec() {
                return model.spec();
            }

            @Override
            public int preferredConcurrency() {
                return model.preferredConcurrency();
            }

            @Override
            public String toString() {
                return "BatchEmbedder[" + client + "]";
            }
        };
    }
}
