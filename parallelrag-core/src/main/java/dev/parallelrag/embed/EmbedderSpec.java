package dev.parallelrag.embed;

import dev.parallelrag.error.ValidationException;
import java.util.Objects;

/**
 * What an index records about the model that embedded it, enough to build the same model again: which
 * kind of embedder ({@code local}, a provider such as {@code openai}, or {@code custom} for a model of your
 * own), the model name, its stable id, the vector dimension, whether vectors are L2-normalised, how token
 * vectors are pooled, and the prefix put before every question.
 *
 * @param kind        {@value #LOCAL}, a provider id ({@code openai}, {@code gemini}, {@code ollama},
 *                    {@code compatible}), or {@value #CUSTOM}
 * @param model       the model name as given to that kind, e.g. {@code all-minilm-l6-v2}, {@code text-embedding-3-small}
 * @param modelId     the model's {@link EmbeddingModel#modelId()}, part of every chunk id
 * @param dimension   vector dimension, or 0 while no vector has been made (a remote model learns it)
 * @param normalized  the embedder L2-normalises its vectors (local models); false when vectors are used as
 *                    the model returns them (remote providers)
 * @param pooling     how token vectors become one: {@code mean}, {@code cls}, or {@value #POOLED_BY_PROVIDER}
 * @param queryPrefix put before each question (and never before a document) when it is embedded; empty for none
 */
public record EmbedderSpec(String kind, String model, String modelId, int dimension, boolean normalized, String pooling,
                           String queryPrefix) {

    /** The kind of the local models of {@code parallelrag-onnx}. */
    public static final String LOCAL = "local";
    /** The kind of a model of your own, which cannot be rebuilt from the record: pass it again. */
    public static final String CUSTOM = "custom";
    /** The pooling of remote models: done by the provider. */
    public static final String POOLED_BY_PROVIDER = "provider";

    public EmbedderSpec {
        requireText("embedder.kind", kind);
        requireText("embedder.model", model);
        requireText("embedder.modelId", modelId);
        if (dimension < 0) {
            throw new ValidationException("embedder.dimension", dimension, "must be 0 (not known yet) or positive");
        }
        requireText("embedder.pooling", pooling);
        Objects.requireNonNull(queryPrefix, "queryPrefix");
    }

    /** The spec of a model this library cannot rebuild by name: its id and dimension are all we know. */
    public static EmbedderSpec custom(String modelId, int dimension) {
        return new EmbedderSpec(CUSTOM, modelId, modelId, dimension, false, "unknown", "");
    }

    public EmbedderSpec withDimension(int dimension) {
        return new EmbedderSpec(kind, model, modelId, dimension, normalized, pooling, queryPrefix);
    }

    public EmbedderSpec withQueryPrefix(String queryPrefix) {
        return new EmbedderSpec(kind, model, modelId, dimension, normalized, pooling, queryPrefix);
    }

    /** True when both make the same vectors: same model id and, where both are known, the same dimension. */
    public boolean sameModelAs(EmbedderSpec other) {
        return modelId.equals(other.modelId) && (dimension == 0 || other.dimension == 0 || dimension == other.dimension);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, value, "must not be blank");
        }
    }
}
