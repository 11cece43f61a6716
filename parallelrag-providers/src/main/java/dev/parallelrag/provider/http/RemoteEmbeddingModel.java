package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.resilience.ResilienceDefaults;
import java.time.Duration;
import java.util.List;

/**
 * What the provider embedding models share. Each {@link #embedBatch} is one HTTP request; wrap the model
 * in an {@link dev.parallelrag.embed.EmbeddingClient} for batching, retries and stats. The dimension is
 * the configured one, or learned from the first response (never from an extra call).
 */
abstract class RemoteEmbeddingModel implements EmbeddingModel, ResilienceDefaults {

    protected final ProviderHttp http;
    protected final String model;
    protected final int configuredDimension;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private volatile int learnedDimension;

    RemoteEmbeddingModel(ProviderConfig config, String model, int dimension, int maxBatchSize, int maxBatchTokens) {
        if (model == null || model.isBlank()) {
            throw new ValidationException("model", model, "must be set for provider " + config.kind().id()
                    + " embeddings (e.g. text-embedding-3-small, text-embedding-004, nomic-embed-text)");
        }
        if (dimension < 0) {
            throw new ValidationException("dimension", dimension, "must be 0 (learn from the first response) or positive");
        }
        if (maxBatchSize < 1) {
            throw new ValidationException("maxBatchSize", maxBatchSize, "must be at least 1");
        }
        if (maxBatchTokens < 1) {
            throw new ValidationException("maxBatchTokens", maxBatchTokens, "must be at least 1");
        }
        this.http = new ProviderHttp(config);
        this.model = model.strip();
        this.configuredDimension = dimension;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        this.learnedDimension = dimension;
    }

    @Override
    public String modelId() {
        return http.provider() + "/" + model;
    }

    @Override
    public int dimension() {
        return learnedDimension;
    }

    /** The provider, the model name, the dimension known so far; vectors as the provider returns them. */
    @Override
    public EmbedderSpec spec() {
        return new EmbedderSpec(http.provider(), model, modelId(), learnedDimension, false, EmbedderSpec.POOLED_BY_PROVIDER, "");
    }

    /** 4 requests in flight overlap the network round trips; the client's limiter bounds them further. */
    @Override
    public int preferredConcurrency() {
        return 4;
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /** The provider's attempt timeout (60 s hosted, 180 s Ollama, 120 s other), used when a client sets none. */
    @Override
    public Duration defaultAttemptTimeout() {
        return http.config().kind().attemptTimeout();
    }

    /** Reads a JSON array of numbers and checks its dimension against what we know. */
    float[] vector(JsonNode values, JsonNode response) {
        if (!values.isArray() || values.isEmpty()) {
            throw http.malformed("an embedding is missing or empty", response);
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.get(i).asDouble();
        }
        int known = learnedDimension;
        if (known > 0 && v.length != known) {
            throw http.malformed("an embedding has dimension " + v.length + " instead of " + known, null);
        }
        if (known == 0) {
            learnedDimension = v.length;
        }
        return v;
    }

    void checkCount(List<?> vectors, int expected, JsonNode response) {
        if (vectors.size() != expected) {
            throw http.malformed(vectors.size() + " embeddings for " + expected + " inputs", response);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + modelId() + " @ " + http.config().safeBaseUrl() + "]";
    }
}
