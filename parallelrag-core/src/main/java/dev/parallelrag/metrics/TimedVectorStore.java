package dev.parallelrag.metrics;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.store.HybridSearchable;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.StoreStats;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A {@link VectorStore} that times its queries into {@value #QUERY_DURATION}: a histogram in seconds by
 * {@code store} (the store kind, such as {@code lucene}), {@code mode} ({@code vector}, {@code keyword},
 * {@code hybrid}) and {@value GenAiMetrics#ERROR_TYPE} (empty on success, as for the GenAI meters). It wraps any
 * store, so a new store kind is timed with no code of its own; it is {@link HybridSearchable} exactly when the store
 * it wraps is. Everything but the queries is passed through untimed; closing it closes the
 * store it wraps.
 */
public class TimedVectorStore implements VectorStore {

    public static final String QUERY_DURATION = "parallelrag.store.query.duration";
    /** Seconds: from a cache-warm kNN lookup (sub-millisecond) to a cold scan of a large index. */
    public static final List<Double> QUERY_BUCKETS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    private final VectorStore store;
    private final MeterRegistry registry;
    private final String kind;

    private TimedVectorStore(VectorStore store, String kind, MeterRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The store with its queries timed; {@code kind} names it in the meter's {@code store} tag. */
    public static VectorStore of(VectorStore store, String kind, MeterRegistry registry) {
        return store instanceof HybridSearchable ? new Hybrid(store, kind, registry)
                : new TimedVectorStore(store, kind, registry);
    }

    /** The query timer of one store kind, mode and outcome ({@link GenAiMetrics#NO_ERROR} for successes). */
    public static Timer queryTimer(MeterRegistry registry, String kind, SearchMode mode, String errorType) {
        return Timer.builder(QUERY_DURATION).description("Vector store query duration.")
                .serviceLevelObjectives(QUERY_BUCKETS.stream().map(s -> Duration.ofNanos(Math.round(s * 1e9)))
                        .toArray(Duration[]::new))
                .tags("store", kind, "mode", mode.name().toLowerCase(Locale.ROOT), GenAiMetrics.ERROR_TYPE, errorType)
                .register(registry);
    }

    /** The store this one times. */
    public VectorStore delegate() {
        return store;
    }

    final List<SearchHit> timed(SearchMode mode, Supplier<List<SearchHit>> query) {
        long t0 = System.nanoTime();
        String error = GenAiMetrics.NO_ERROR;
        try {
            return query.get();
        } catch (RuntimeException e) {
            error = GenAiMetrics.errorType(e instanceof ParallelRagException p ? p.kind() : ErrorKind.OTHER);
            throw e;
        } finally {
            queryTimer(registry, kind, mode, error).record(Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    @Override
    public List<SearchHit> search(float[] vector, int k, MetadataFilter filter) {
        return timed(SearchMode.VECTOR, () -> store.search(vector, k, filter));
    }

    @Override
    public int dimension() {
        return store.dimension();
    }

    @Override
    public void upsert(List<StoredChunk> chunks) {
        store.upsert(chunks);
    }

    @Override
    public long deleteDocument(String documentId) {
        return store.deleteDocument(documentId);
    }

    @Override
    public long deleteChunks(Collection<String> chunkIds) {
        return store.deleteChunks(chunkIds);
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public Set<String> existingIds(Collection<String> chunkIds, String modelId) {
        return store.existingIds(chunkIds, modelId);
    }

    @Override
    public Set<String> chunkIds(String documentId) {
        return store.chunkIds(documentId);
    }

    @Override
    public Set<String> documentIds() {
        return store.documentIds();
    }

    @Override
    public Map<String, Long> documentChunkCounts() {
        return store.documentChunkCounts();
    }

    @Override
    public Map<String, String> indexMetadata() {
        return store.indexMetadata();
    }

    @Override
    public void putIndexMetadata(Map<String, String> entries) {
        store.putIndexMetadata(entries);
    }

    @Override
    public void commit() {
        store.commit();
    }

    @Override
    public StoreStats stats() {
        return store.stats();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "Timed[" + store + "]";
    }

    /** The wrapper of a store with keyword and hybrid search: those are timed under their own mode. */
    private static final class Hybrid extends TimedVectorStore implements HybridSearchable {
        private final HybridSearchable hybrid;

        Hybrid(VectorStore store, String kind, MeterRegistry registry) {
            super(store, kind, registry);
            this.hybrid = (HybridSearchable) store;
        }

        @Override
        public List<SearchHit> search(SearchRequest request) {
            return timed(request.mode(), () -> hybrid.search(request));
        }
    }
}
