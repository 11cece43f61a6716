package dev.parallelrag.store;

import java.util.List;

/**
 * Capability of stores that also index chunk text for keyword (BM25) search and can fuse it with
 * vector search. Callers check {@code store instanceof HybridSearchable} and fall back to
 * {@link VectorStore#search} otherwise.
 */
public interface HybridSearchable {

    /** Runs the request; hits best first, at most {@code request.k()}. */
    List<SearchHit> search(SearchRequest request);
}
