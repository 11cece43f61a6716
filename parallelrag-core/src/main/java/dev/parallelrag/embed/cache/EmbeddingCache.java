package dev.parallelrag.embed.cache;

import java.util.Map;

/** Vectors by {@link CacheKey}. Implementations are thread-safe. */
public interface EmbeddingCache extends AutoCloseable {

    /** The cached vector, or null. */
    float[] get(CacheKey key);

    void put(CacheKey key, float[] vector);

    /** Puts each entry; a persistent cache writes them together. */
    default void putAll(Map<CacheKey, float[]> entries) {
        entries.forEach(this::put);
    }

    /** Entries held. */
    long size();

    @Override
    default void close() {
    }
}
