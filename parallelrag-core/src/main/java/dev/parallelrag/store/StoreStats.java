package dev.parallelrag.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a store's size and contents.
 *
 * @param chunks        number of chunks stored
 * @param documents     number of distinct document ids
 * @param dimension     vector dimension (0 when empty)
 * @param modelIds      distinct model ids with their chunk counts
 * @param sizeOnDisk    bytes used on disk (0 for in-memory stores)
 * @param location      where the store lives, e.g. the index directory, or {@code memory}
 * @param indexMetadata the store's {@link VectorStore#indexMetadata()}
 */
public record StoreStats(
        long chunks,
        long documents,
        int dimension,
        Map<String, Long> modelIds,
        long sizeOnDisk,
        String location,
        Map<String, String> indexMetadata) {

    public StoreStats {
        // sorted so that stats output is stable
        modelIds = Collections.unmodifiableMap(modelIds == null ? new TreeMap<>() : new TreeMap<>(modelIds));
        indexMetadata = Collections.unmodifiableMap(
                indexMetadata == null ? new TreeMap<>() : new TreeMap<>(indexMetadata));
    }
}
