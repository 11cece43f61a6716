package dev.parallelrag.store;

import dev.parallelrag.error.ValidationException;

/**
 * A query for a {@link HybridSearchable} store.
 *
 * @param mode   how to rank
 * @param text   the query text, analysed for BM25 (required for {@code HYBRID} and {@code KEYWORD})
 * @param vector the query embedding (required for {@code HYBRID} and {@code VECTOR})
 * @param k      number of hits wanted, at least 1
 * @param filter restriction on chunk fields; {@link MetadataFilter#all()} for none
 */
public record SearchRequest(SearchMode mode, String text, float[] vector, int k, MetadataFilter filter) {

    public SearchRequest {
        if (mode == null) {
            throw new ValidationException("search.mode", null, "must be one of hybrid, vector, keyword");
        }
        if (k < 1) {
            throw new ValidationException("search.k", k, "must be at least 1");
        }
        if (mode != SearchMode.KEYWORD) {
            Vectors.requireUsable("search.vector", vector);
            vector = vector.clone();
        } else if (vector != null) {
            vector = vector.clone();
        }
        if (mode != SearchMode.VECTOR && (text == null || text.isBlank())) {
            throw new ValidationException("search.text", text, "must not be blank for " + mode.wireName() + " search");
        }
        filter = filter == null ? MetadataFilter.all() : filter;
    }

    public static SearchRequest hybrid(String text, float[] vector, int k) {
        return new SearchRequest(SearchMode.HYBRID, text, vector, k, MetadataFilter.all());
    }

    public static SearchRequest vector(float[] vector, int k) {
        return new SearchRequest(SearchMode.VECTOR, null, vector, k, MetadataFilter.all());
    }

    public static SearchRequest keyword(String text, int k) {
        return new SearchRequest(SearchMode.KEYWORD, text, null, k, MetadataFilter.all());
    }

    /** The same request restricted by {@code newFilter}. */
    public SearchRequest withFilter(MetadataFilter newFilter) {
        return new SearchRequest(mode, text, vector, k, newFilter);
    }

    /** A copy of the query vector, or null for keyword-only requests without one. */
    @Override
    public float[] vector() {
        return vector == null ? null : vector.clone();
    }
}
