package dev.parallelrag.store;

import dev.parallelrag.Internal;
import dev.parallelrag.error.ValidationException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Argument checks and orderings every {@link VectorStore} implementation applies the same way. */
@Internal
public final class StoreChecks {

    /** Best first: higher score, then smaller chunk id (so ties are deterministic). */
    public static final Comparator<SearchHit> BEST_FIRST =
            Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId);

    private StoreChecks() {
    }

    public static void requireK(int k) {
        if (k < 1) {
            throw new ValidationException("search.k", k, "must be at least 1");
        }
    }

    public static void requireDimension(String field, int actual, int expected) {
        if (expected != 0 && actual != expected) {
            throw new ValidationException(field, "dimension " + actual,
                    "must have dimension " + expected + " like the vectors already stored;"
                            + " use the same embedding model as the index, or a new index");
        }
    }

    /**
     * Checks a batch: no nulls, one dimension throughout, matching {@code storeDimension} (0 =
     * not yet fixed). Returns the dimension the store has after the batch.
     */
    public static int batchDimension(List<StoredChunk> chunks, int storeDimension) {
        int dim = storeDimension;
        for (int i = 0; i < chunks.size(); i++) {
            StoredChunk c = chunks.get(i);
            if (c == null) {
                throw new ValidationException("chunks[" + i + "]", null, "must not be null");
            }
            if (dim == 0) {
                dim = c.dimension();
            } else {
                requireDimension("chunks[" + i + "].vector (id " + c.id() + ")", c.dimension(), dim);
            }
        }
        return dim;
    }

    public static void requireDocumentId(String documentId) {
        if (documentId == null || documentId.isBlank()) {
            throw new ValidationException("documentId", documentId, "must not be null or blank");
        }
    }

    public static void requireModelId(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            throw new ValidationException("modelId", modelId, "must not be null or blank");
        }
    }

    public static void requireIds(Collection<String> ids) {
        if (ids == null || ids.stream().anyMatch(Objects::isNull)) {
            throw new ValidationException("chunkIds", ids == null ? null : "contains null",
                    "must be a collection of non-null ids");
        }
    }

    public static void requireMetadataEntries(Map<String, String> entries) {
        if (entries == null) {
            throw new ValidationException("indexMetadata", null, "must be a map (empty is fine)");
        }
        for (String key : entries.keySet()) {
            if (key == null || key.isBlank()) {
                throw new ValidationException("indexMetadata key", key, "must not be null or blank");
            }
        }
    }
}
