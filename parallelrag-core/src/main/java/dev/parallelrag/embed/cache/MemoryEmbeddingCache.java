package dev.parallelrag.embed.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.parallelrag.error.ValidationException;

/** A bounded in-memory cache (Caffeine, size-based eviction). A 384-float vector takes about 1.6 KB. */
public final class MemoryEmbeddingCache implements EmbeddingCache {

    private final Cache<CacheKey, float[]> cache;

    public MemoryEmbeddingCache(long maxEntries) {
        if (maxEntries < 1) {
            throw new ValidationException("maxEntries", maxEntries, "must be at least 1");
        }
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    @Override
    public float[] get(CacheKey key) {
        return cache.getIfPresent(key);
    }

    @Override
    public void put(CacheKey key, float[] vector) {
        cache.put(key, vector);
    }

    @Override
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
