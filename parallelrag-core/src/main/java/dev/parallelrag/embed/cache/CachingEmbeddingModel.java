package dev.parallelrag.embed.cache;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.EmbeddingSpace;
import dev.parallelrag.embed.InputType;
import dev.parallelrag.error.ValidationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps any {@link EmbeddingModel}, local or remote, with an embedding cache: a bounded in-memory tier,
 * and optionally a disk tier in a directory. Entries are keyed by the model's {@link EmbeddingSpace}
 * (provider, model id, revision, dimension, normalisation), the {@link InputType} and a SHA-256 of the
 * text ({@link CacheKey}), so two models never share an entry. Texts found in the cache cost no inference
 * and no request; only the misses go to the model, in one call, each distinct text once. Re-ingesting
 * unchanged text therefore runs no inference and, with a remote model, makes no embedding request.
 *
 * <p>Wrap a remote model's {@code EmbeddingClient} (not the bare model), so misses keep its retries and
 * limits while hits never count as requests. Thread-safe. Closing it closes the disk tier and the
 * wrapped model.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

    /** Vectors kept in memory in front of the disk tier by default (about 1.6 KB each at 384 dimensions). */
    public static final long DEFAULT_MEMORY_ENTRIES = 10_000;

    private final EmbeddingModel delegate;
    private final EmbeddingSpace space;
    private final InputType inputType;
    private final MemoryEmbeddingCache memory;
    private final DiskEmbeddingCache disk;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder memoryHits = new LongAdder();
    private final LongAdder diskHits = new LongAdder();

    private CachingEmbeddingModel(Builder b) {
        this.delegate = b.delegate;
        this.space = delegate.space();
        this.inputType = b.inputType;
        this.memory = new MemoryEmbeddingCache(b.memoryEntries);
        this.disk = b.directory == null ? null : DiskEmbeddingCache.open(b.directory);
    }

    /** A builder: memory tier of {@value #DEFAULT_MEMORY_ENTRIES} entries, no disk tier, documents. */
    public static Builder builder(EmbeddingModel delegate) {
        return new Builder(delegate);
    }

    /** An in-memory cache of at most {@code memoryEntries} vectors. */
    public static CachingEmbeddingModel inMemory(EmbeddingModel delegate, long memoryEntries) {
        return builder(delegate).memoryEntries(memoryEntries).build();
    }

    /** An in-memory tier of {@code memoryEntries} in front of a persistent cache in {@code directory}. */
    public static CachingEmbeddingModel onDisk(EmbeddingModel delegate, long memoryEntries, Path directory) {
        if (directory == null) {
            throw new ValidationException("cacheDirectory", null, "must be given for a disk cache; use inMemory for none");
        }
        return builder(delegate).memoryEntries(memoryEntries).directory(directory).build();
    }

    @Override
    public EmbeddingSpace space() {
        return space;
    }

    /** What the texts are embedded as; part of every key. */
    public InputType inputType() {
        return inputType;
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public int maxBatchSize() {
        return delegate.maxBatchSize();
    }

    @Override
    public int maxBatchTokens() {
        return delegate.maxBatchTokens();
    }

    @Override
    public EmbedderSpec spec() {
        return delegate.spec();
    }

    @Override
    public int preferredConcurrency() {
        return delegate.preferredConcurrency();
    }

    public EmbeddingModel delegate() {
        return delegate;
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        float[][] out = new float[texts.size()][];
        CacheKey[] keys = new CacheKey[texts.size()];
        // distinct missing texts, each with the positions that want it
        Map<CacheKey, List<Integer>> missing = new HashMap<>();
        List<String> toEmbed = new ArrayList<>();
        List<CacheKey> toEmbedKeys = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                String field = texts.size() == 1 ? "text" : "texts[" + i + "]";
                throw new ValidationException(field, text, "must not be empty or blank; remove it or give it some text");
            }
            CacheKey key = CacheKey.of(space, inputType, text);
            keys[i] = key;
            float[] v = lookup(key);
            if (v != null) {
                out[i] = v.clone();
                hits.increment();
                continue;
            }
            misses.increment();
            List<Integer> positions = missing.get(key);
            if (positions == null) {
                positions = new ArrayList<>(1);
                missing.put(key, positions);
                toEmbed.add(text);
                toEmbedKeys.add(key);
            }
            positions.add(i);
        }
        if (!toEmbed.isEmpty()) {
            List<float[]> vectors = delegate.embedBatch(toEmbed);
            Map<CacheKey, float[]> embedded = new LinkedHashMap<>();
            for (int j = 0; j < vectors.size(); j++) {
                CacheKey key = toEmbedKeys.get(j);
                float[] v = vectors.get(j);
                memory.put(key, v.clone());
                embedded.put(key, v);
                for (int pos : missing.get(key)) {
                    out[pos] = v.clone();
                }
            }
            if (disk != null) {
                disk.putAll(embedded); // one append, one hold of the directory's lock, per batch
            }
        }
        return List.of(out);
    }

    private float[] lookup(CacheKey key) {
        float[] v = memory.get(key);
        if (v != null) {
            memoryHits.increment();
            return v;
        }
        if (disk != null) {
            v = disk.get(key);
            if (v != null) {
                diskHits.increment();
                memory.put(key, v);
                return v;
            }
        }
        return null;
    }

    public CacheStats cacheStats() {
        return new CacheStats(hits.sum(), misses.sum(), memoryHits.sum(), diskHits.sum(),
                disk != null ? disk.size() : memory.size());
    }

    /** The cache's counters followed by the wrapped model's (whose inference counters stay still on hits). */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("cache_hits", hits.sum());
        m.put("cache_misses", misses.sum());
        m.put("cache_memory_hits", memoryHits.sum());
        m.put("cache_disk_hits", diskHits.sum());
        if (disk != null) {
            m.put("cache_records_skipped", disk.skippedRecords());
        }
        m.putAll(delegate.counters());
        return m;
    }

    @Override
    public void close() {
        try {
            if (disk != null) {
                disk.close();
            }
        } finally {
            delegate.close();
        }
    }

    @Override
    public String toString() {
        return "CachingEmbeddingModel[" + delegate.modelId() + (disk != null ? ", disk " + disk.directory() : ", memory") + "]";
    }

    /** Validating builder; only the wrapped model is required. */
    public static final class Builder {
        private final EmbeddingModel delegate;
        private long memoryEntries = DEFAULT_MEMORY_ENTRIES;
        private Path directory;
        private InputType inputType = InputType.DOCUMENT;

        private Builder(EmbeddingModel delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** Vectors held in memory; default {@value #DEFAULT_MEMORY_ENTRIES}, at least 1. */
        public Builder memoryEntries(long memoryEntries) {
            if (memoryEntries < 1) {
                throw new ValidationException("memoryEntries", memoryEntries, "must be at least 1");
            }
            this.memoryEntries = memoryEntries;
            return this;
        }

        /** The directory of the persistent tier; default none (memory only). Processes may share one. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** What the texts are embedded as; default {@link InputType#DOCUMENT}. */
        public Builder inputType(InputType inputType) {
            this.inputType = Objects.requireNonNull(inputType, "inputType");
            return this;
        }

        public CachingEmbeddingModel build() {
            return new CachingEmbeddingModel(this);
        }
    }
}
