package dev.parallelrag.embed;

import dev.parallelrag.error.ValidationException;
import java.util.Objects;

/**
 * The vector space a model embeds into. Two models with equal spaces give interchangeable vectors; two
 * with different spaces never do, so an embedding cache keys its entries by the space and an index must
 * never mix vectors of two spaces.
 *
 * @param provider   who runs the model, e.g. {@code local}, {@code openai}
 * @param modelId    the model's stable id ({@link EmbeddingModel#modelId()})
 * @param revision   what pins the weights and the way vectors are made when the id alone does not (for
 *                   example a model artifact's version and its pooling); empty when the id pins them
 * @param dimension  the requested vector dimension, or 0 for the model's native one
 * @param normalized whether the vectors are L2-normalised by us before they are returned
 */
public record EmbeddingSpace(String provider, String modelId, String revision, int dimension, boolean normalized) {

    public EmbeddingSpace {
        requireText("provider", provider);
        requireText("modelId", modelId);
        Objects.requireNonNull(revision, "revision");
        if (dimension < 0) {
            throw new ValidationException("dimension", dimension, "must be 0 (the model's native dimension) or positive");
        }
    }

    /**
     * The space of a model known only by its id: provider from the id's prefix before the first '/'
     * ({@code local} when there is none), no revision, native dimension, not normalised by us.
     */
    public static EmbeddingSpace of(String modelId) {
        requireText("modelId", modelId);
        int slash = modelId.indexOf('/');
        String provider = slash <= 0 ? "local" : modelId.substring(0, slash);
        return new EmbeddingSpace(provider, modelId, "", 0, false);
    }

    /** A stable one-line form, used in cache keys and messages. */
    public String describe() {
        return provider + "|" + modelId + "|" + revision + "|" + dimension + "|" + (normalized ? "l2" : "raw");
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, value, "must not be blank");
        }
    }
}
