package dev.parallelrag.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores embedded chunks and finds the nearest ones to a query vector.
 *
 * <p>Contract (checked for every implementation by {@code VectorStoreContract} in core's test-jar):
 * <ul>
 *   <li>All methods are safe to call from many threads at once.</li>
 *   <li>Writes are visible to searches on the same store object as soon as the write returns
 *       (read-your-writes); {@link #commit()} makes them durable.</li>
 *   <li>{@link #upsert} is idempotent by chunk id: the last write of an id wins.</li>
 *   <li>A store holds vectors of one dimension, fixed by the first upsert; a vector of another
 *       dimension is rejected with a {@code ValidationException}.</li>
 *   <li>Vector scores are cosine similarities; hits come best first, ties broken by chunk id.</li>
 * </ul>
 */
public interface VectorStore extends AutoCloseable {

    /** Vector dimension of the stored chunks, or 0 while the store is empty and has never been written. */
    int dimension();

    /** Inserts or replaces chunks by id. A batch is validated as a whole before anything is written. */
    void upsert(List<StoredChunk> chunks);

    /** Removes every chunk of the document; returns how many were removed. */
    long deleteDocument(String documentId);

    /** Removes chunks by id (unknown ids are ignored); returns how many were removed. */
    long deleteChunks(Collection<String> chunkIds);

    /**
     * The {@code k} chunks most similar (cosine) to {@code vector} among those matching {@code filter}, best first.
     *
     * @throws dev.parallelrag.error.ValidationException for {@code k < 1} or a vector of the wrong dimension
     */
    List<SearchHit> search(float[] vector, int k, MetadataFilter filter);

    /** Same as {@code search(vector, k, MetadataFilter.all())}. */
    default List<SearchHit> search(float[] vector, int k) {
        return search(vector, k, MetadataFilter.all());
    }

    /** Number of chunks stored. */
    long count();

    /**
     * Of the given chunk ids, those the store holds with vectors from {@code modelId}. The ingest
     * pipeline uses this to skip embedding chunks it already has.
     */
    Set<String> existingIds(Collection<String> chunkIds, String modelId);

    /** Ids of the chunks stored for one document (empty if none). */
    Set<String> chunkIds(String documentId);

    /** Ids of every document with at least one stored chunk (for pruning deleted files). */
    Set<String> documentIds();

    /**
     * Every document with at least one stored chunk, with its number of chunks (for listing the index). The default
     * asks {@link #chunkIds} once per document; a store that can count in one pass should.
     */
    default Map<String, Long> documentChunkCounts() {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (String documentId : documentIds()) {
            counts.put(documentId, (long) chunkIds(documentId).size());
        }
        return counts;
    }

    /**
     * Small key/value facts about the index, e.g. the model id or the last ingest summary. Values
     * set with {@link #putIndexMetadata} are visible at once and durable after {@link #commit()}.
     */
    Map<String, String> indexMetadata();

    /** Sets (or, with a null value, removes) index metadata entries. */
    void putIndexMetadata(Map<String, String> entries);

    /** Makes all writes so far durable. A crash after this returns loses nothing written before the call. */
    void commit();

    /** Counts and sizes for {@code stats} output. */
    StoreStats stats();

    /** Commits and releases resources. Calling it again does nothing. */
    @Override
    void close();
}
