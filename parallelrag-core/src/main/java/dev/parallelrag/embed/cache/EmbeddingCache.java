package dev.parallelrag.embed.cache;

/** Vectors by {@link CacheKey}. Implementations are thread-safe. */
public interface EmbeddingCache extends AutoCloseable {

    /** The cached vector, or null. */
    float[] get(CacheKey key);

    void put(CacheKey key, float[] vector);

    /** Entries held. */
    long size();

    @Override
    default void close() {
    }
}
