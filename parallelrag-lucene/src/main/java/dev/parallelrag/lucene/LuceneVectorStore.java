package dev.parallelrag.lucene;

import dev.parallelrag.error.DiskFullException;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthCheck;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.store.HybridSearchable;
import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.ReciprocalRankFusion;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.StoreChecks;
import dev.parallelrag.store.StoreStats;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.Vectors;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default, embedded {@link VectorStore}: a Lucene index in a directory, with HNSW vectors
 * (cosine via dot product on unit vectors), BM25 over chunk text, and hybrid search fusing both
 * with reciprocal rank fusion.
 *
 * <p><b>Concurrency.</b> One {@link IndexWriter} (thread-safe) serves all writers; upserts run in
 * parallel, deletes take an exclusive lock so their returned counts are exact. Searches use a
 * {@link SearcherManager} over near-real-time readers, refreshed before a read whenever something
 * was written since the last refresh, so a search sees every write that returned before it.
 *
 * <p><b>Durability.</b> Writes become durable at {@link #commit()} (and {@link #close()}). Lucene
 * commits are atomic: a process killed at any point leaves the index at its last commit. Index
 * metadata ({@link #putIndexMetadata}) travels in the commit's user data, so it is exactly as
 * durable as the chunks it describes.
 *
 * <p><b>Integrity.</b> Opening for writing first checks every file of the last commit against its checksum
 * and refuses a damaged index with an {@link dev.parallelrag.error.IndexCorruptException} naming the files and
 * the fix (a rebuild from the sources), before anything is written over it. Read-only opens skip the check (it
 * reads the whole index once); {@code parallelrag verify} runs it on demand.
 *
 * <p><b>Processes.</b> One process may open an index for writing (Lucene's write lock enforces
 * it; a second writer gets a {@link StoreException}). Any number may open it with
 * {@link LuceneStoreConfig#readOnly()} and see the latest commit.
 */
public final class LuceneVectorStore implements VectorStore, HybridSearchable, HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneVectorStore.class);

    /** Commit user-data keys owned by the store; user metadata is stored under {@link #USER_PREFIX}. */
    static final String FORMAT_KEY = "parallelrag.format";
    static final String DIMENSION_KEY = "parallelrag.dimension";
    static final String ANALYZER_KEY = "parallelrag.analyzer";
    static final String USER_PREFIX = "meta.";
    private static final String FORMAT = "1";

    private final LuceneStoreConfig config;
    private final Path location;
    private final Directory directory;
    private final Analyzer analyzer;
    private final IndexWriter writer; // null when read-only
    private final SearcherManager searchers;
    private final ReciprocalRankFusion fusion;
    /** Upserts share it; deletes and close take it exclusively. */
    private final ReadWriteLock writeLock = new ReentrantReadWriteLock();
    private final Object dimensionLock = new Object();
    private final AtomicLong writeGeneration = new AtomicLong();
    private final AtomicLong refreshedGeneration = new AtomicLong();
    private final Map<String, String> indexMetadata = new TreeMap<>();
    private volatile int dimension;
    private volatile long seenReaderVersion = -1;
    private volatile boolean closed;
    /** The first damage a read or a merge met, kept for {@link #health()}: the index stays damaged until rebuilt. */
    private volatile RuntimeException damage;

    private LuceneVectorStore(LuceneStoreConfig config, UnaryOperator<Directory> files) throws IOException {
        this.config = config;
        this.location = config.directory().toAbsolutePath().normalize();
        this.fusion = new ReciprocalRankFusion(config.rankConstant());
        this.analyzer = config.analyzer().create();
        if (!config.readOnly()) {
            Files.createDirectories(location);
        }
        this.directory = files.apply(FSDirectory.open(location));
        try {
            if (config.readOnly()) {
                this.writer = null;
                this.searchers = new SearcherManager(directory, new SearcherFactory());
                loadCommitData(searchers);
            } else {
                this.writer = new IndexWriter(directory, writerConfig(config, analyzer));
                verifyLastCommit();
                this.searchers = new SearcherManager(writer, true, false, new SearcherFactory());
                loadCommitData(writer.getLiveCommitData());
                recordSettings();
            }
        } catch (IOException | RuntimeException e) {
            rollbackQuietly(); // leave the last commit exactly as it was
            closeQuietly();
            throw e;
        }
    }

    /**
     * Before anything is written: every file of the last commit against its checksum (one sequential read of
     * the index; see {@link LuceneIntegrityCheck}). Appending to a damaged index would hide the damage under new
     * commits. The write lock is held, so the commit cannot change under the check.
     */
    private void verifyLastCommit() throws IOException {
        if (DirectoryReader.indexExists(directory)) {
            LuceneIntegrityCheck.verify(directory, location.toString()).requireIntact();
        }
    }

    /** Opens (creating if needed) the index at {@code directory} with default settings. */
    public static LuceneVectorStore open(Path directory) {
        return open(LuceneStoreConfig.defaults(directory));
    }

    /** Opens (creating if needed, unless read-only) the index described by {@code config}. */
    public static LuceneVectorStore open(LuceneStoreConfig config) {
        return open(config, UnaryOperator.identity());
    }

    /** As {@link #open(LuceneStoreConfig)}, with the index files behind {@code files} (tests make a disk fill up). */
    static LuceneVectorStore open(LuceneStoreConfig config, UnaryOperator<Directory> files) {
        Path dir = config.directory().toAbsolutePath().normalize();
        try {
            return new LuceneVectorStore(config, files);
        } catch (LockObtainFailedException e) {
            throw new StoreException("index " + dir + " is locked by another writer (is an ingest running?);"
                    + " wait for it to finish, or open read-only to search", e);
        } catch (IndexNotFoundException e) {
            throw new StoreException("no index at " + dir + "; run `parallelrag ingest PATH --index " + dir
                    + "` first", e);
        } catch (CorruptIndexException | EOFException | NoSuchFileException | FileNotFoundException e) {
            throw damaged(dir, e);
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("cannot open index " + dir + ": " + e.getMessage()
                    + "; check the path and permissions", e);
        }
    }

    /**
     * Lucene met a damaged or missing file while opening: check the whole commit so that the error names every
     * damaged file, not only the first one Lucene tripped on.
     */
    static StoreException damaged(Path dir, IOException e) {
        try (Directory d = FSDirectory.open(dir)) {
            IntegrityReport report = LuceneIntegrityCheck.verify(d, dir.toString());
            if (!report.intact()) {
                return report.toException(e);
            }
        } catch (IOException | RuntimeException unreadable) {
            e.addSuppressed(unreadable);
        }
        if (e instanceof CorruptIndexException c) {
            return LuceneIntegrityCheck.corruption(dir.toString(), c);
        }
        return new StoreException("cannot open index " + dir + ": " + e.getMessage()
                + "; check the path and permissions", e);
    }

    private static IndexWriterConfig writerConfig(LuceneStoreConfig config, Analyzer analyzer) {
        KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(config.hnswMaxConn(), config.hnswBeamWidth());
        IndexWriterConfig iwc = new IndexWriterConfig(analyzer);
        iwc.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        iwc.setRAMBufferSizeMB(config.ramBufferMb());
        iwc.setMergeScheduler(new QuietMergeScheduler());
        iwc.setCodec(new Lucene103Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return hnsw;
            }
        });
        return iwc;
    }

    /** The index's own settings, so that it reopens as built (LuceneStoreProvider reads them back). */
    private void recordSettings() {
        synchronized (indexMetadata) {
            indexMetadata.put(LuceneStoreProvider.KIND_KEY, LuceneStoreProvider.KIND);
            config.settings().forEach((k, v) -> indexMetadata.put(LuceneStoreProvider.SETTING_PREFIX + k, v));
        }
    }

    private void loadCommitData(SearcherManager manager) throws IOException {
        IndexSearcher s = manager.acquire();
        try {
            loadCommitData(((DirectoryReader) s.getIndexReader()).getIndexCommit().getUserData().entrySet());
        } finally {
            manager.release(s);
        }
    }

    private void loadCommitData(Iterable<Map.Entry<String, String>> data) {
        Map<String, String> system = new HashMap<>();
        synchronized (indexMetadata) {
            indexMetadata.clear();
        }
        if (data != null) {
            for (Map.Entry<String, String> e : data) {
                if (e.getKey().startsWith(USER_PREFIX)) {
                    synchronized (indexMetadata) {
                        indexMetadata.put(e.getKey().substring(USER_PREFIX.length()), e.getValue());
                    }
                } else {
                    system.put(e.getKey(), e.getValue());
                }
            }
        }
        String storedAnalyzer = system.get(ANALYZER_KEY);
        if (storedAnalyzer != null && !storedAnalyzer.equals(config.analyzer().wireName())) {
            throw new StoreException("index " + location + " was built with the " + storedAnalyzer
                    + " analyzer but is being opened with " + config.analyzer().wireName()
                    + "; open it with analyzer " + storedAnalyzer + " or re-ingest into a new index");
        }
        dimension = Integer.parseInt(system.getOrDefault(DIMENSION_KEY, "0"));
    }

    /** The settings this store was opened with. */
    public LuceneStoreConfig config() {
        return config;
    }

    /** The absolute index directory. */
    public Path location() {
        return location;
    }

    @Override
    public int dimension() {
        if (writer == null) {
            withSearcher(s -> null); // read-only: pick up a newer commit first
        }
        return dimension;
    }

    @Override
    public void upsert(List<StoredChunk> chunks) {
        if (chunks == null) {
            throw new ValidationException("chunks", null, "must be a list (empty is fine)");
        }
        requireWritable();
        if (chunks.isEmpty()) {
            return;
        }
        synchronized (dimensionLock) {
            dimension = StoreChecks.batchDimension(chunks, dimension);
        }
        writeLock.readLock().lock();
        try {
            ensureOpen();
            for (StoredChunk c : chunks) {
                writer.updateDocument(ChunkDocuments.idTerm(c.id()), ChunkDocuments.toDocument(c));
            }
            writeGeneration.incrementAndGet();
        } catch (IOException | AlreadyClosedException e) {
            throw failure("write " + chunks.size() + " chunks to", e);
        } finally {
            writeLock.readLock().unlock();
        }
    }

    @Override
    public long deleteDocument(String documentId) {
        StoreChecks.requireDocumentId(documentId);
        return deleteMatching(new TermQuery(new Term(ChunkDocuments.DOCUMENT_ID, documentId)), "document " + documentId);
    }

    @Override
    public long deleteChunks(Collection<String> chunkIds) {
        StoreChecks.requireIds(chunkIds);
        if (chunkIds.isEmpty()) {
            return 0;
        }
        return deleteMatching(idsQuery(chunkIds), chunkIds.size() + " chunk ids");
    }

    private long deleteMatching(Query query, String what) {
        requireWritable();
        writeLock.writeLock().lock();
        try {
            ensureOpen();
            long removed = withSearcher(s -> (long) s.count(query));
            if (removed > 0) {
                writer.deleteDocuments(query);
                writeGeneration.incrementAndGet();
            }
            return removed;
        } catch (IOException | AlreadyClosedException e) {
            throw failure("delete " + what + " from", e);
        } finally {
            writeLock.writeLock().unlock();
        }
    }

    @Override
    public List<SearchHit> search(float[] vector, int k, MetadataFilter filter) {
        StoreChecks.requireK(k);
        Vectors.requireUsable("search.vector", vector);
        return vectorSearch(vector, k, filter);
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        if (request == null) {
            throw new ValidationException("search.request", null, "must not be null");
        }
        return switch (request.mode()) {
            case VECTOR -> vectorSearch(request.vector(), request.k(), request.filter());
            case KEYWORD -> keywordSearch(request.text(), request.k(), request.filter());
            case HYBRID -> hybridSearch(request);
        };
    }

    /** Convenience for {@code search(new SearchRequest(mode, text, vector, k, filter))}. */
    public List<SearchHit> search(SearchMode mode, String text, float[] vector, int k, MetadataFilter filter) {
        return search(new SearchRequest(mode, text, vector, k, filter));
    }

    private List<SearchHit> hybridSearch(SearchRequest request) {
        int n = Math.max(request.k(), config.hybridCandidates());
        List<ReciprocalRankFusion.RankedList> lists = new ArrayList<>(2);
        if (config.vectorWeight() > 0) {
            lists.add(new ReciprocalRankFusion.RankedList(
                    vectorSearch(request.vector(), n, request.filter()), config.vectorWeight()));
        }
        if (config.keywordWeight() > 0) {
            lists.add(new ReciprocalRankFusion.RankedList(
                    keywordSearch(request.text(), n, request.filter()), config.keywordWeight()));
        }
        return fusion.fuse(lists, request.k());
    }

    private List<SearchHit> vectorSearch(float[] vector, int k, MetadataFilter filter) {
        int dim = dimension();
        StoreChecks.requireDimension("search.vector", vector.length, dim);
        if (dim == 0) {
            return List.of(); // nothing was ever written: there is no vector field to search
        }
        float[] query = Vectors.normalized(vector);
        int candidates = Math.max(k, config.vectorCandidates());
        Query knn = new KnnFloatVectorQuery(ChunkDocuments.VECTOR, query, candidates,
                ChunkDocuments.filterQuery(filter));
        // DOT_PRODUCT scores are (1 + dot) / 2; report the cosine itself, like the other stores
        // fetch all candidates so that ties at the k boundary are broken by chunk id, not doc order
        return collect(knn, candidates, k, score -> 2.0 * score - 1.0);
    }

    private List<SearchHit> keywordSearch(String text, int k, MetadataFilter filter) {
        List<String> terms = analyze(text);
        if (terms.isEmpty()) {
            return List.of(); // only stop words or punctuation: BM25 has nothing to match
        }
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        for (String t : terms) {
            words.add(new TermQuery(new Term(ChunkDocuments.TEXT, t)), Occur.SHOULD);
        }
        Query query = words.build();
        Query filterQuery = ChunkDocuments.filterQuery(filter);
        if (filterQuery != null) {
            query = new BooleanQuery.Builder().add(query, Occur.MUST).add(filterQuery, Occur.FILTER).build();
        }
        return collect(query, k, k, score -> score);
    }

    /**
     * Query terms as the index analyzed them, de-duplicated and capped at Lucene's clause limit. We
     * build the query from terms rather than with a query parser so that user text like
     * {@code "what's AND (this"} is never parsed as syntax and can never fail.
     */
    private List<String> analyze(String text) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(ChunkDocuments.TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && terms.size() < IndexSearcher.getMaxClauseCount()) {
                terms.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // analysis of an in-memory string does no real I/O
        }
        return List.copyOf(terms);
    }

    private interface ScoreMapping {
        double apply(float luceneScore);
    }

    private List<SearchHit> collect(Query query, int fetch, int k, ScoreMapping mapping) {
        return withSearcher(s -> {
            TopDocs top = s.search(query, fetch);
            List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
            var stored = s.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
                hits.add(ChunkDocuments.toHit(stored.document(sd.doc), mapping.apply(sd.score)));
            }
            hits.sort(StoreChecks.BEST_FIRST);
            return hits.size() > k ? List.copyOf(hits.subList(0, k)) : List.copyOf(hits);
        });
    }

    @Override
    public long count() {
        return withSearcher(s -> (long) s.getIndexReader().numDocs());
    }

    @Override
    public Set<String> existingIds(Collection<String> chunkIds, String modelId) {
        StoreChecks.requireIds(chunkIds);
        StoreChecks.requireModelId(modelId);
        if (chunkIds.isEmpty()) {
            return Set.of();
        }
        Query q = new BooleanQuery.Builder()
                .add(idsQuery(chunkIds), Occur.FILTER)
                .add(new TermQuery(new Term(ChunkDocuments.MODEL_ID, modelId)), Occur.FILTER)
                .build();
        return valuesOf(q, ChunkDocuments.ID).keySet();
    }

    @Override
    public Set<String> chunkIds(String documentId) {
        StoreChecks.requireDocumentId(documentId);
        return valuesOf(new TermQuery(new Term(ChunkDocuments.DOCUMENT_ID, documentId)), ChunkDocuments.ID).keySet();
    }

    @Override
    public Set<String> documentIds() {
        return valuesOf(new MatchAllDocsQuery(), ChunkDocuments.DOCUMENT_ID).keySet();
    }

    @Override
    public Map<String, Long> documentChunkCounts() {
        return valuesOf(new MatchAllDocsQuery(), ChunkDocuments.DOCUMENT_ID); // one pass over the doc values
    }

    private static Query idsQuery(Collection<String> chunkIds) {
        return new TermInSetQuery(ChunkDocuments.ID, chunkIds.stream().map(BytesRef::new).toList());
    }

    private Map<String, Long> valuesOf(Query query, String field) {
        return Map.copyOf(withSearcher(s -> s.search(query, DocValuesCollector.counting(field))));
    }

    @Override
    public Map<String, String> indexMetadata() {
        ensureOpen();
        if (writer == null) {
            withSearcher(s -> null); // read-only: pick up a newer commit first
        }
        synchronized (indexMetadata) {
            return Map.copyOf(indexMetadata);
        }
    }

    @Override
    public void putIndexMetadata(Map<String, String> entries) {
        StoreChecks.requireMetadataEntries(entries);
        requireWritable();
        ensureOpen();
        synchronized (indexMetadata) {
            entries.forEach((key, value) -> {
                if (value == null) {
                    indexMetadata.remove(key);
                } else {
                    indexMetadata.put(key, value);
                }
            });
        }
    }

    @Override
    public void commit() {
        requireWritable();
        writeLock.readLock().lock();
        try {
            ensureOpen();
            commitNow();
        } catch (IOException | IllegalStateException e) { // AlreadyClosedException, or "cannot commit" after a tragic error
            throw failure("commit", e);
        } finally {
            writeLock.readLock().unlock();
        }
    }

    private void commitNow() throws IOException {
        Map<String, String> data = new TreeMap<>();
        synchronized (indexMetadata) {
            indexMetadata.forEach((k, v) -> data.put(USER_PREFIX + k, v));
        }
        data.put(FORMAT_KEY, FORMAT);
        data.put(ANALYZER_KEY, config.analyzer().wireName());
        data.put(DIMENSION_KEY, Integer.toString(dimension));
        // commit data is written atomically with the segments it describes
        writer.setLiveCommitData(data.entrySet(), true);
        writer.commit();
    }

    @Override
    public StoreStats stats() {
        Map<String, Long> models = valuesOf(new MatchAllDocsQuery(), ChunkDocuments.MODEL_ID);
        long documents = documentIds().size();
        return new StoreStats(models.values().stream().mapToLong(Long::longValue).sum(), documents, dimension,
                models, sizeOnDisk(), location.toString(), indexMetadata());
    }

    /** Bytes used by the index files (a merge in progress may briefly count some twice). */
    public long sizeOnDisk() {
        ensureOpen();
        long total = 0;
        try {
            for (String file : directory.listAll()) {
                try {
                    total += directory.fileLength(file);
                } catch (NoSuchFileException | java.io.FileNotFoundException gone) {
                    // deleted by a merge between listing and measuring: it no longer takes space
                }
            }
        } catch (IOException | AlreadyClosedException e) {
            throw failure("measure", e);
        }
        return total;
    }

    @Override
    public void close() {
        writeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (writer != null && writer.getTragicException() == null) { // a writer Lucene closed cannot commit
                commitNow();
            }
        } catch (IOException | AlreadyClosedException e) {
            throw failure("commit on close of", e);
        } finally {
            closeQuietly();
            writeLock.writeLock().unlock();
        }
    }

    private void rollbackQuietly() {
        if (this.writer != null) {
            try {
                this.writer.rollback();
            } catch (IOException | RuntimeException ignored) {
                // closing below releases the lock whatever state the writer is in
            }
        }
    }

    private void closeQuietly() {
        for (AutoCloseable c : new AutoCloseable[] {searchers, writer, directory}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort: the commit above already made the data durable or reported failure
                }
            }
        }
    }

    private interface SearcherWork<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    /**
     * Runs {@code work} on a searcher that reflects every write that finished before this call:
     * if anything was written since the last refresh, refresh first (read-your-writes).
     */
    private <T> T withSearcher(SearcherWork<T> work) {
        ensureOpen();
        try {
            long generation = writeGeneration.get();
            if (writer == null) {
                searchers.maybeRefresh(); // read-only: pick up the writer process's latest commit
            } else if (generation != refreshedGeneration.get()) {
                searchers.maybeRefreshBlocking();
                refreshedGeneration.accumulateAndGet(generation, Math::max);
            }
            IndexSearcher s = searchers.acquire();
            try {
                if (writer == null) {
                    reloadIfNewCommit((DirectoryReader) s.getIndexReader());
                }
                return work.run(s);
            } finally {
                searchers.release(s);
            }
        } catch (IOException | AlreadyClosedException e) {
            throw failure("read", e);
        }
    }

    /** Read-only: a new commit by the writer process may carry new metadata and a first dimension. */
    private void reloadIfNewCommit(DirectoryReader reader) throws IOException {
        long version = reader.getVersion();
        if (version != seenReaderVersion) {
            synchronized (dimensionLock) {
                if (version != seenReaderVersion) {
                    loadCommitData(reader.getIndexCommit().getUserData().entrySet());
                    seenReaderVersion = version;
                }
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("index " + location + " is closed; open it again with LuceneVectorStore.open");
        }
    }

    private void requireWritable() {
        ensureOpen();
        if (writer == null) {
            throw new StoreException("index " + location + " is open read-only; open it without readOnly to write");
        }
        if (writer.getTragicException() != null) { // Lucene closed the writer: say why, not just "closed"
            throw failure("write", null);
        }
    }

    /**
     * The error for a failed operation, naming the root cause: when Lucene closed the writer after an error of its
     * own (a full disk during a flush or merge, say), every later call sees only "closed", so the writer's tragic
     * error is what is reported.
     */
    private RuntimeException failure(String action, Exception e) {
        Throwable tragic = writer == null ? null : writer.getTragicException();
        Throwable root = tragic != null ? tragic : e;
        if (DiskFullException.find(root).isPresent() || (e != null && DiskFullException.find(e).isPresent())) {
            return new DiskFullException(location, root);
        }
        if (root instanceof CorruptIndexException c) { // a merge or a read met damage on disk: name the file and the fix
            RuntimeException corrupt = LuceneIntegrityCheck.corruption(location.toString(), c);
            damage = corrupt;
            return corrupt;
        }
        if (tragic != null) {
            return new StoreException("index " + location + " stopped accepting writes after an error: " + tragic
                    + "; what was committed before is intact; fix the cause and run again", tragic);
        }
        if (closed || e instanceof AlreadyClosedException) {
            return new StoreException("index " + location + " is closed; open it again with LuceneVectorStore.open", e);
        }
        return new StoreException("failed to " + action + " index " + location + ": " + e.getMessage()
                + "; check disk space and permissions", e);
    }

    /**
     * Lucene's concurrent merges, with a failed merge left to the writer, which records it and reports it on the
     * next call (see {@link #failure}). The default rethrows it in the merge thread, whose stack trace would reach
     * stderr beside the one-line error the caller prints.
     */
    private static final class QuietMergeScheduler extends ConcurrentMergeScheduler {
        @Override
        protected void handleMergeException(Throwable exc) {
            LOG.debug("a background merge failed; the writer reports it on its next call", exc);
        }
    }

    /**
     * DOWN when the store is closed, when Lucene closed its writer after an error, or when a read met a damaged file
     * (now or earlier: damage stays until the index is rebuilt); UP otherwise, with the chunk count read from the
     * index as the proof. It does not verify checksums (a full read of the index: {@code parallelrag verify} does).
     */
    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("location", location.toString());
        details.put("writable", writer != null && !closed && writer.getTragicException() == null);
        String component = "store:lucene";
        if (closed) {
            return new Health(component, HealthStatus.DOWN, "index " + location + " is closed", details);
        }
        RuntimeException damaged = damage;
        if (damaged != null) {
            return new Health(component, HealthStatus.DOWN, damaged.getMessage(), details);
        }
        if (writer != null && writer.getTragicException() != null) {
            return new Health(component, HealthStatus.DOWN, failure("write", null).getMessage(), details);
        }
        long chunks;
        try {
            chunks = count();
        } catch (RuntimeException e) {
            return new Health(component, HealthStatus.DOWN, e.getMessage(), details);
        }
        details.put("chunks", chunks);
        details.put("dimension", dimension);
        return new Health(component, HealthStatus.UP, "index " + location + " open " + (writer == null ? "read-only" : "for writing")
                + ", " + chunks + " chunks", details);
    }

    @Override
    public String toString() {
        return "LuceneVectorStore[" + location + (writer == null ? ", read-only" : "") + "]";
    }
}
