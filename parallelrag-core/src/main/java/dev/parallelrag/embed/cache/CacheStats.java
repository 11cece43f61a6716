package dev.parallelrag.embed.cache;

/**
 * Counters of a {@link CachingEmbeddingModel}.
 *
 * @param hits       texts served from the cache (memory or disk)
 * @param misses     texts the cache did not have, sent to the model
 * @param memoryHits hits served from memory
 * @param diskHits   hits served from disk
 * @param entries    entries held on disk (or in memory when there is no disk cache)
 */
public record CacheStats(long hits, long misses, long memoryHits, long diskHits, long entries) {

    public double hitRate() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }
}
