package dev.parallelrag.store;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link VectorStore} held in memory with exact (brute-force) cosine search: for tests, small
 * jobs and as the reference the approximate stores are checked against. Nothing is persisted;
 * {@link #commit()} does nothing. Reads share a lock, writes take it exclusively.
 */
public final class InMemoryVectorStore implements VectorStore {

    private record Entry(StoredChunk chunk, float[] unit) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Set<String>> idsByDocument = new HashMap<>();
    private final Map<String, String> indexMetadata = new TreeMap<>();
    private int dimension;
    private boolean closed;

    @Override
    public int dimension() {
        lock.readLock().lock();
        try {
            return dimension;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void upsert(List<StoredChunk> chunks) {
        if (chunks == null) {
            throw new ValidationException("chunks", null, "must be a list (empty is fine)");
        }
        lock.writeLock().lock();
        try {
            ensureOpen();
            int dim = StoreChecks.batchDimension(chunks, dimension);
            for (StoredChunk c : chunks) {
                Entry old = byId.put(c.id(), new Entry(c, Vectors.normalized(c.vector())));
                if (old != null) {
                    unlink(old.chunk());
                }
                idsByDocument.computeIfAbsent(c.documentId(), d -> new HashSet<>()).add(c.id());
            }
            dimension = dim;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void unlink(StoredChunk c) {
        Set<String> ids = idsByDocument.get(c.documentId());
        if (ids != null) {
            ids.remove(c.id());
            if (ids.isEmpty()) {
                idsByDocument.remove(c.documentId());
            }
        }
    }

    @Override
    public long deleteDocument(String documentId) {
        StoreChecks.requireDocumentId(documentId);
        lock.writeLock().lock();
        try {
            ensureOpen();
            Set<String> ids = idsByDocument.remove(documentId);
            if (ids == null) {
                return 0;
            }
            ids.forEach(byId::remove);
            return ids.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long deleteChunks(Collection<String> chunkIds) {
        StoreChecks.requireIds(chunkIds);
        lock.writeLock().lock();
        try {
            ensureOpen();
            long removed = 0;
            for (String id : chunkIds) {
                Entry e = byId.remove(id);
                if (e != null) {
                    unlink(e.chunk());
                    removed++;
                }
            }
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<SearchHit> search(float[] vector, int k, MetadataFilter filter) {
        StoreChecks.requireK(k);
        Vectors.requireUsable("search.vector", vector);
        MetadataFilter f = filter == null ? MetadataFilter.all() : filter;
        float[] query = Vectors.normalized(vector);
        Comparator<SearchHit> best = StoreChecks.BEST_FIRST;
        lock.readLock().lock();
        try {
            ensureOpen();
            if (byId.isEmpty()) {
                return List.of();
            }
            StoreChecks.requireDimension("search.vector", vector.length, dimension);
            // min-heap on "best first" order keeps the k best seen so far
            PriorityQueue<SearchHit> heap = new PriorityQueue<>(k + 1, best.reversed());
            for (Entry e : byId.values()) {
                if (!f.test(e.chunk())) {
                    continue;
                }
                heap.add(SearchHit.of(e.chunk(), dot(query, e.unit())));
                if (heap.size() > k) {
                    heap.poll();
                }
            }
            List<SearchHit> hits = new ArrayList<>(heap);
            hits.sort(best);
            return List.copyOf(hits);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    @Override
    public long count() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Set<String> existingIds(Collection<String> chunkIds, String modelId) {
        StoreChecks.requireIds(chunkIds);
        StoreChecks.requireModelId(modelId);
        lock.readLock().lock();
        try {
            ensureOpen();
            Set<String> found = new HashSet<>();
            for (String id : chunkIds) {
                Entry e = byId.get(id);
                if (e != null && e.chunk().modelId().equals(modelId)) {
                    found.add(id);
                }
            }
            return Set.copyOf(found);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Set<String> chunkIds(String documentId) {
        StoreChecks.requireDocumentId(documentId);
        lock.readLock().lock();
        try {
            ensureOpen();
            return Set.copyOf(idsByDocument.getOrDefault(documentId, Set.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Set<String> documentIds() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return Set.copyOf(idsByDocument.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<String, String> indexMetadata() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return Map.copyOf(indexMetadata);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void putIndexMetadata(Map<String, String> entries) {
        StoreChecks.requireMetadataEntries(entries);
        lock.writeLock().lock();
        try {
            ensureOpen();
            entries.forEach((key, value) -> {
                if (value == null) {
                    indexMetadata.remove(key);
                } else {
                    indexMetadata.put(key, value);
                }
            });
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void commit() {
        lock.readLock().lock();
        try {
            ensureOpen();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StoreStats stats() {
        lock.readLock().lock();
        try {
            ensureOpen();
            Map<String, Long> models = new HashMap<>();
            byId.values().forEach(e -> models.merge(e.chunk().modelId(), 1L, Long::sum));
            return new StoreStats(byId.size(), idsByDocument.size(), dimension, models, 0, "memory", indexMetadata);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("in-memory vector store is closed; create a new InMemoryVectorStore");
        }
    }
}
