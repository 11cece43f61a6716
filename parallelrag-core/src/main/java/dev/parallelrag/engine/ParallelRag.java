package dev.parallelrag.engine;

import dev.parallelrag.UserCacheDirectory;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.cache.CachingEmbeddingModel;
import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.HealthRegistry;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.metrics.TimedVectorStore;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.pipeline.IngestMeters;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.pipeline.Query;
import dev.parallelrag.pipeline.Rag;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.CloseGate;
import dev.parallelrag.runtime.DeploymentSize;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.runtime.Sizing;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.stats.TokenUsage;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.split.TextSplitter;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.store.StoreChecks;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.StoreStats;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.spi.VectorStoreProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One index and everything it records: open it with {@link #open(Path)} and search, ask, look at its
 * stats or ingest more, with no setting repeated. The CLI's {@code ingest}, {@code ask}, {@code search},
 * {@code stats}, {@code verify} and {@code health} are this class and option parsing.
 *
 * <pre>{@code
 * try (ParallelRag rag = ParallelRag.open(Path.of(".parallelrag"))) {
 *     rag.ingest(List.of(Path.of("docs")));                  // new index: local bge-small-en-v1.5 int8, recursive 1000/200
 *     Answer a = rag.ask("What did Lincoln say about the slave trade?");
 * }
 * }</pre>
 *
 * <p><b>What is reopened.</b> The store is found through {@link VectorStoreProvider} with the settings it
 * recorded: an index directory ({@link #open(Path)}) by the Lucene store of {@code parallelrag-lucene}, another
 * kind by its {@link StoreLocation} ({@link #builder(StoreLocation)}, e.g. {@code pgvector} and a JDBC URL, from
 * {@code parallelrag-pgvector}), which keeps the record in its database; the embedder is the one in the
 * {@link IndexManifest}, built through an {@code EmbeddingModelProvider} (the local models of
 * {@code parallelrag-onnx}) or a remote provider; ingest reuses the recorded splitter. An index built by
 * the CLI, by this class or by {@link IngestPipeline} directly opens the same way.
 *
 * <p><b>Lazy.</b> Opening reads the index's record only. The embedding model is built on the first
 * call that needs a vector, so keyword search and stats load no model and need no API key. The store is
 * opened read-only (a running ingest elsewhere does not block it) until the first {@link #ingest}.
 *
 * <p><b>Defaults</b>, each for a reason: a new index gets the local model ({@code local},
 * bge-small-en-v1.5 int8: offline, no key) and {@link SplitterSpec#defaults()} (recursive, 1000 code points,
 * overlap 200); ingest puts the embedder behind the embedding cache, local and remote alike, so unchanged text is
 * never embedded (or paid for) twice; the cache is per user ({@link #defaultEmbeddingCacheDirectory()}), shared
 * by every index, so a fresh index of text embedded before costs nothing; batch size and concurrency
 * are the embedder's own ({@link IngestConfig}); search and ask use {@link Rag}'s k of 5 and hybrid mode.
 *
 * <p><b>Health.</b> {@link #health()} reports the store, the CPU pool, the embedder and the chat model as they
 * are now; {@link #checkHealth()} first sends each model one small real request. The engine keeps its own
 * {@link HealthRegistry} and, while open, one summary entry in {@link HealthRegistry#process()}.
 *
 * <p>Thread-safe: searches and questions may run while one ingest runs. Close it to release the store,
 * the model it built and its CPU pool; models and chat models passed in are the caller's to close. Closing
 * refuses new calls ({@link dev.parallelrag.error.ClosedException}) and waits up to {@link #CLOSE_GRACE} for
 * the calls running in other threads before it closes anything they use.
 */
public final class ParallelRag implements AutoCloseable {

    /** The embedding cache's directory in the per-user cache directory, unless {@link Builder#embeddingCacheDirectory} says otherwise. */
    public static final String EMBEDDING_CACHE_SUBDIRECTORY = "embeddings";

    private static final Logger LOG = LoggerFactory.getLogger(ParallelRag.class);

    /** The most texts one {@link #embed} call takes (OpenAI's limit per embeddings request). */
    public static final int MAX_EMBED_TEXTS = 2048;

    /** How long {@link #close()} waits for searches, questions and ingests running in other threads. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    /** The store kind of a new index when several are on the class path. */
    static final String DEFAULT_STORE = "lucene";

    private final StoreLocation location;
    private final Builder settings;
    private final Embedders embedders;
    private final List<VectorStoreProvider> storeKinds;
    private final VectorStoreProvider existingKind; // null for a location that holds no index yet
    private final LazyEmbeddingModel embedder; // null until a new index without an embedder needs one
    private final boolean ownsModel;
    private VectorStore store; // null until the index exists
    private boolean writable;
    private Rag rag;
    private ParallelRuntime runtime;
    private final CloseGate calls;
    private final EngineHealth health;
    private final IngestMeters ingestMeters; // null without a meter registry

    private ParallelRag(Builder b) {
        this.location = b.location;
        this.calls = new CloseGate("ParallelRag for " + b.location + " is closed; open it again");
        this.settings = b;
        ClassLoader loader = loader();
        this.embedders = new Embedders(loader);
        this.storeKinds = providersFor(storeProviders(loader), location);
        this.existingKind = storeKinds.stream().filter(p -> p.holdsIndex(location)).findFirst().orElse(null);
        // a rebuild opens nothing: the store may be too damaged to open, and its chunks are about to go
        this.store = existingKind == null || b.rebuild ? null : existingKind.open(location, true);
        try {
            Optional<IndexManifest> manifest = b.rebuild ? recordedManifest() : manifest();
            long chunks = store == null ? 0 : store.count();
            EmbedderSpec spec;
            if (b.embeddingModel != null) {
                spec = b.embeddingModel.spec();
            } else if (b.embedderKind != null || b.embedderModel != null) {
                // a model name alone names a model of the recorded kind, or of the default kind for a new index
                String kind = b.embedderKind != null ? b.embedderKind : manifest.map(m -> m.embedder().kind()).orElse(null);
                spec = embedders.describe(kind, b.embedderModel);
            } else if (manifest.isPresent()) {
                EmbedderSpec recorded = manifest.get().embedder();
                spec = recorded.dimension() == 0 && store != null && store.dimension() > 0
                        ? recorded.withDimension(store.dimension()) : recorded;
            } else {
                spec = embedders.describe(EmbedderSpec.LOCAL, null);
            }
            if (manifest.isPresent()) {
                manifest.get().requireSameEmbedder(spec, chunks);
            }
            EmbedderSpec chosen = spec;
            EmbeddingModel given = b.embeddingModel;
            this.ownsModel = given == null;
            this.embedder = new LazyEmbeddingModel(chosen, given != null ? () -> given
                    : () -> embedders.create(chosen, b.providerConfig, b.environment, b.embedderResilience,
                            b.sizing.ioConcurrency()));
            if (b.embedderResilience != null && embedders.local(chosen)) {
                throw new ValidationException("embedderResilience", "given", "applies to remote embedders only; "
                        + chosen.modelId() + " runs in this process");
            }
            this.rag = newRag(store == null ? new InMemoryVectorStore() : store); // validates k and mode now
            this.ingestMeters = b.meterRegistry == null ? null : new IngestMeters(b.meterRegistry); // last to throw
            this.health = new EngineHealth(location, this::currentStore, this::currentRuntime, b.sizing, b.rebuild
                    ? "no index open: the next ingest rebuilds it" : noIndexYet(), embedder, b.chatModel);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ParallelRag.class.getClassLoader();
    }

    private static List<VectorStoreProvider> storeProviders(ClassLoader loader) {
        List<VectorStoreProvider> kinds = new ArrayList<>();
        ServiceLoader.load(VectorStoreProvider.class, loader).forEach(kinds::add);
        return kinds;
    }

    /**
     * The providers that may hold the index at {@code location}: the one of its kind, or for a directory given
     * without a kind all of them (a provider that keeps no directories says it holds none).
     *
     * @throws ValidationException for a kind no provider on the class path has, naming the kinds there are
     */
    static List<VectorStoreProvider> providersFor(List<VectorStoreProvider> all, StoreLocation location) {
        if (location.kind() == null) {
            return all;
        }
        List<VectorStoreProvider> kind = all.stream().filter(p -> p.kind().equals(location.kind())).toList();
        if (kind.isEmpty()) {
            List<String> kinds = all.stream().map(VectorStoreProvider::kind).sorted().toList();
            throw new ValidationException("store", location.kind(), "is not a store on the class path; use one of "
                    + (kinds.isEmpty() ? "none (add parallelrag-lucene or parallelrag-pgvector)" : String.join(", ", kinds)));
        }
        return kind;
    }

    /**
     * For a rebuild: the embedder and splitter the index recorded, read without opening its store. A record too
     * damaged to read leaves the builder's settings or the defaults, and says so.
     */
    private Optional<IndexManifest> recordedManifest() {
        if (existingKind == null) {
            return Optional.empty();
        }
        try {
            return IndexManifest.read(existingKind.recordedMetadata(location));
        } catch (StoreException | ValidationException e) {
            LOG.warn("the record of index {} cannot be read ({}); rebuilding it with the embedder and splitter given,"
                    + " or the defaults", location, e instanceof IndexCorruptException c && !c.files().isEmpty()
                    ? String.join(", ", c.files()) + " damaged" : e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Checks the index at {@code location} without opening it for search: every file of its last commit against
     * its checksum (one sequential read of the index), then its manifest. Nothing is written.
     *
     * @return the report; a damaged index is a report with problems, not an exception
     * @throws StoreException when {@code location} holds no index
     */
    public static IntegrityReport verify(Path directory) {
        StoreLocation location = StoreLocation.directory(directory);
        ClassLoader loader = loader();
        VectorStoreProvider kind = storeProviders(loader).stream().filter(p -> p.holdsIndex(location)).findFirst()
                .orElseThrow(() -> new StoreException("no index at " + location + " to verify; check the path"
                        + " (`--index DIR`)"));
        IntegrityReport report = kind.verify(location);
        if (!report.intact()) {
            return report; // the manifest lives in the damaged commit: nothing more can be trusted
        }
        return report.with(manifestProblems(kind, location, report.chunks()));
    }

    private static List<IntegrityReport.Problem> manifestProblems(VectorStoreProvider kind, StoreLocation location,
                                                                  long chunks) {
        String manifest = IntegrityReport.Problem.MANIFEST;
        Optional<IndexManifest> recorded;
        try {
            recorded = IndexManifest.read(kind.recordedMetadata(location));
        } catch (ValidationException e) {
            return List.of(new IntegrityReport.Problem(manifest, e.getMessage()));
        }
        if (recorded.isEmpty()) {
            return chunks == 0 ? List.of() : List.of(new IntegrityReport.Problem(manifest, "records no embedder for the "
                    + chunks + " chunks of the index, so they cannot be searched; rebuild it from the sources"));
        }
        int dimension;
        try (VectorStore store = kind.open(location, true)) {
            dimension = store.dimension();
        }
        int wanted = recorded.get().embedder().dimension();
        if (wanted > 0 && dimension > 0 && wanted != dimension) {
            return List.of(new IntegrityReport.Problem(manifest, "says " + recorded.get().embedder().modelId() + " embeds "
                    + wanted + " dimensions but the stored vectors have " + dimension + "; rebuild it from the sources"));
        }
        return List.of();
    }

    /**
     * Where ingest keeps the embedding cache unless told otherwise: {@value #EMBEDDING_CACHE_SUBDIRECTORY} in the
     * per-user cache directory ({@link UserCacheDirectory}). One for every index of the user, because a text
     * embedded for one index is the same vector for the next (a re-ingest into a fresh index, a second index of
     * overlapping files); sharing is safe because an entry's key holds the model's whole embedding space, so two
     * models never share an entry, and the cache takes several processes at once.
     */
    public static Path defaultEmbeddingCacheDirectory() {
        return UserCacheDirectory.resolve().resolve(EMBEDDING_CACHE_SUBDIRECTORY);
    }

    /** Opens the index at {@code location} (a directory) with everything it records; see {@link Builder} for options. */
    public static ParallelRag open(Path location) {
        return builder(location).build();
    }

    /** Options of the engine of the index directory {@code location}. */
    public static Builder builder(Path location) {
        return new Builder(StoreLocation.directory(location));
    }

    /**
     * Options of the engine of the index at {@code location}: a directory, or a store of another kind, e.g.
     * {@code StoreLocation.of("pgvector", "jdbc:postgresql://db:5432/rag?user=rag", Map.of())}.
     */
    public static Builder builder(StoreLocation location) {
        return new Builder(location);
    }

    /** The index location, as given; its {@code toString} shows no credentials. */
    public StoreLocation location() {
        return location;
    }

    /** What the index records, or empty while nothing has been ingested. */
    public synchronized Optional<IndexManifest> manifest() {
        return store == null ? Optional.empty() : IndexManifest.read(store.indexMetadata());
    }

    /** The embedder's spec: the recorded one, the one chosen for a new index, or the model's once loaded. */
    public EmbedderSpec embedder() {
        return embedder.spec();
    }

    /** True once the embedding model has been built (never for keyword search and stats). */
    public boolean embedderLoaded() {
        return embedder.loaded();
    }

    /** The top chunks for the query with the builder's k and mode (default 5, hybrid). */
    public List<SearchHit> search(String query) {
        return search(query, settings.k, settings.mode);
    }

    /** The top {@code k} chunks for the query; {@link SearchMode#KEYWORD} embeds nothing. */
    public List<SearchHit> search(String query, int k, SearchMode mode) {
        return call(() -> currentRag().search(query, k, mode));
    }

    /** An answer with numbered sources: generated by the builder's chat model, or extractive without one. */
    public Answer ask(String question) {
        return call(() -> currentRag().ask(question));
    }

    /**
     * A query of {@code text} with the engine's k and mode (the builder's, default 5 and hybrid) and no filter, to
     * change before {@link Query.Builder#build()}: what a caller that sets only some of them starts from.
     */
    public Query.Builder query(String text) {
        return Query.builder(text).k(settings.k).mode(settings.mode);
    }

    /** The query's top k chunks among those its filter allows, best first; {@link SearchMode#KEYWORD} embeds nothing. */
    public List<SearchHit> search(Query query) {
        return call(() -> currentRag().search(query));
    }

    /** An answer from the chunks the question's filter allows, with its k and mode; see {@link #ask(String)}. */
    public Answer ask(Query question) {
        return call(() -> currentRag().ask(question));
    }

    /**
     * An answer whose text reaches {@code onDelta} as it is written, and which {@code stop} can cancel from another
     * thread (a server's client that went away); see {@link Rag#askStreaming}.
     */
    public Answer askStreaming(Query question, Consumer<String> onDelta, StopSignal stop) {
        return call(() -> currentRag().askStreaming(question, onDelta, stop));
    }

    /** How large the engine runs: the builder's size or sizing, else sized from the machine ({@link Sizing#machine()}). */
    public Sizing sizing() {
        return settings.sizing;
    }

    /** The registry the engine's meters go to, as given to the builder; empty: the engine measures nothing. */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(settings.meterRegistry);
    }

    /** The chat model that writes answers, as given to the builder; empty: answers are extractive. */
    public Optional<ChatModel> chatModel() {
        return Optional.ofNullable(settings.chatModel);
    }

    /**
     * Embeds texts with the index's embedder as documents are embedded (no query prefix), in batches of the model's
     * size: what a server's embeddings endpoint serves. At most {@value #MAX_EMBED_TEXTS} texts, none of them empty.
     *
     * @throws ValidationException for no texts, too many, or an empty one (named by its position)
     */
    public Embeddings embed(List<String> texts) {
        if (texts == null || texts.isEmpty() || texts.size() > MAX_EMBED_TEXTS) {
            throw new ValidationException("input", texts == null ? null : texts.size() + " texts",
                    "must hold 1 to " + MAX_EMBED_TEXTS + " texts; split a larger input into several requests");
        }
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isEmpty()) {
                throw new ValidationException("input[" + i + "]", text, "must be a non-empty text");
            }
            tokens += Rag.TOKENIZER.length(text);
        }
        long promptTokens = tokens;
        return call(() -> {
            List<float[]> vectors = new ArrayList<>(texts.size());
            int batch = Math.max(1, embedder.maxBatchSize());
            for (int i = 0; i < texts.size(); i += batch) {
                vectors.addAll(embedder.embedBatch(texts.subList(i, Math.min(texts.size(), i + batch))));
            }
            return new Embeddings(vectors, embedder.modelId(), TokenUsage.of(promptTokens, 0));
        });
    }

    /** Counts and sizes of the index, and its metadata (the manifest among it). Loads no model. */
    public synchronized StoreStats stats() {
        return requireIndex().stats();
    }

    /** Ingests files and directories with the default {@link IngestOptions}. */
    public IngestSummary ingest(List<Path> paths) {
        return ingest(paths, IngestOptions.defaults());
    }

    /**
     * Reads, splits, embeds and writes the files under {@code paths}: idempotent, resumable, per-file
     * failures in the summary. Creates the index when there is none. The splitter is the builder's, else
     * the recorded one, else {@link SplitterSpec#defaults()}; the embedder is the index's, behind the
     * embedding cache unless the builder turned it off.
     *
     * @throws ValidationException when the index records a splitter this version cannot rebuild and none was given
     */
    public IngestSummary ingest(List<Path> paths, IngestOptions options) {
        Objects.requireNonNull(options, "options");
        return call(() -> ingestNow(paths, options));
    }

    /**
     * Ingests documents the caller names itself, as {@link #ingest(List, IngestOptions)} does: files under ids of its
     * choosing (uploads kept under their uploaded names) or texts in memory, see {@link IngestItem}. Nothing is
     * walked, so of the options only the listener and the stop apply.
     *
     * @throws ValidationException when the options set include, exclude, includeHidden or prune, which only a walk
     *                             uses; for no items or an id given twice
     */
    public IngestSummary ingestItems(List<IngestItem> items, IngestOptions options) {
        Objects.requireNonNull(options, "options");
        if (!options.include().isEmpty() || !options.exclude().isEmpty() || options.includeHidden() || options.prune()) {
            throw new ValidationException("options", "include/exclude/includeHidden/prune", "apply to walked paths only;"
                    + " leave them unset when ingesting items");
        }
        return call(() -> ingestNow(options, pipeline -> pipeline.runItems(items, options.listener(), options.stop())));
    }

    private IngestSummary ingestNow(List<Path> paths, IngestOptions options) {
        return ingestNow(options, pipeline -> pipeline.run(paths, options.listener(), options.stop()));
    }

    private IngestSummary ingestNow(IngestOptions options, Function<IngestPipeline, IngestSummary> run) {
        VectorStore target;
        TextSplitter splitter;
        synchronized (this) {
            target = openForWriting();
            splitter = splitterForIngest();
        }
        IngestConfig config = IngestConfig.builder(splitter).include(options.include()).exclude(options.exclude())
                .includeHidden(options.includeHidden()).prune(options.prune())
                .documentWindow(settings.sizing.documentWindow()).embedConcurrency(settings.sizing.embedConcurrency()).build();
        CachingEmbeddingModel cache = settings.embeddingCache ? embeddingCache() : null;
        EmbeddingModel model = cache != null ? cache : embedder;
        try {
            return run.apply(ingestMeters == null ? new IngestPipeline(config, model, target, runtime())
                    : new IngestPipeline(config, model, target, runtime(), ingestMeters));
        } finally {
            if (cache != null) {
                cache.close(); // flushes and closes the disk tier's files; the model itself stays with the engine
            }
        }
    }

    /**
     * One page of the index's documents, ordered by id: each with its source and its number of chunks. A location
     * with no index yet has none. Reads the committed and the uncommitted writes of this engine alike.
     *
     * @param page the page, from 1
     * @param size documents per page, 1 to {@link DocumentPage#MAX_SIZE}
     * @throws ValidationException for a page below 1 or a size out of range
     */
    public DocumentPage documents(int page, int size) {
        DocumentPage.requireRange(page, size);
        return call(() -> {
            VectorStore current = currentStore();
            return DocumentPage.of(current == null ? Map.of() : current.documentChunkCounts(), page, size);
        });
    }

    /**
     * Removes a document's chunks from the index and commits. The next ingest of its file adds it again.
     *
     * @return how many chunks were removed; 0 when the index holds no document with this id
     * @throws ValidationException for a null or blank id
     */
    public long deleteDocument(String documentId) {
        StoreChecks.requireDocumentId(documentId);
        return call(() -> {
            VectorStore target;
            synchronized (this) {
                if (store == null) {
                    return 0L; // no index: nothing to remove, and nothing is created for it
                }
                target = openForWriting();
            }
            long removed = target.deleteDocument(documentId);
            if (removed > 0) {
                target.commit();
            }
            return removed;
        });
    }

    /**
     * The cache in the given directory (which must work), else in the per-user one; when that one cannot be
     * used (a read-only home, a file in its place), this ingest keeps its cache in memory and says so once.
     */
    private CachingEmbeddingModel embeddingCache() {
        long memory = CachingEmbeddingModel.DEFAULT_MEMORY_ENTRIES;
        if (settings.cacheDirectory != null) {
            return CachingEmbeddingModel.onDisk(embedder, memory, settings.cacheDirectory);
        }
        Path dir = defaultEmbeddingCacheDirectory();
        try {
            return CachingEmbeddingModel.onDisk(embedder, memory, dir);
        } catch (ValidationException e) {
            LOG.warn("the per-user embedding cache is unavailable, this ingest caches in memory only ({}); set {} or give"
                    + " a cache directory (embeddingCacheDirectory, --embedding-cache DIR)", e.getMessage(), UserCacheDirectory.ENV);
            return CachingEmbeddingModel.inMemory(embedder, memory);
        }
    }

    private TextSplitter splitterForIngest() {
        if (settings.splitter != null) {
            return settings.splitter;
        }
        Optional<IndexManifest> manifest = manifest();
        if (manifest.isEmpty()) {
            return SplitterSpec.defaults().create();
        }
        return manifest.get().splitter().map(SplitterSpec::create).orElseThrow(() -> new ValidationException("splitter",
                manifest.get().splitterFingerprint(), "is not recorded in a form this version can rebuild (an index of an older"
                + " version, or a splitter of your own); give the splitter to use (ParallelRag.builder(dir).splitter(...),"
                + " or --splitter/--chunk-size on the command line)"));
    }

    private VectorStore openForWriting() {
        ensureOpen();
        if (!writable) {
            VectorStoreProvider kind = existingKind != null ? existingKind : storeForNewIndex();
            if (store != null) {
                store.close();
                store = null;
            }
            if (settings.rebuild && existingKind != null) {
                existingKind.discard(location);
            }
            store = kind.open(location, false);
            writable = true;
            rag = newRag(store);
        }
        return store;
    }

    /** The location's kind, or for a directory given without one the default kind. */
    private VectorStoreProvider storeForNewIndex() {
        String kind = location.kind() != null ? location.kind() : DEFAULT_STORE;
        return storeKinds.stream().filter(p -> p.kind().equals(kind)).findFirst().orElseThrow(() -> new StoreException(
                "no store on the class path to create an index at " + location + "; add parallelrag-lucene"));
    }

    private synchronized Rag currentRag() {
        requireIndex();
        return rag;
    }

    private VectorStore requireIndex() {
        ensureOpen();
        if (store == null) {
            throw new StoreException(noIndexYet());
        }
        return store;
    }

    private String noIndexYet() {
        String cli = location.kind() == null ? "--index " + location.address()
                : "--store " + location.kind() + (location.address() == null ? "" : " and the same location");
        return "no index at " + location + " yet; ingest documents into it first (`parallelrag ingest PATH " + cli
                + "`, or ParallelRag.ingest)";
    }

    private synchronized VectorStore currentStore() {
        return store;
    }

    private synchronized ParallelRuntime currentRuntime() {
        return runtime;
    }

    /**
     * The health of each part as it is now, without making a request: {@code store} (DOWN when there is no index,
     * or it is closed or damaged), {@code runtime} (the CPU pool: DOWN closed, DEGRADED when its queue is saturated),
     * {@code embedder} (a local model's session, or a remote client's verdict on its recent requests), and
     * {@code llm} when a chat model was given. The overall status is the worst part's. A server's health endpoint
     * serves this; the engine also sums it up as one entry of {@link HealthRegistry#process()} while it is open.
     */
    public HealthRegistry.Report health() {
        ensureOpen();
        return health.report();
    }

    /**
     * {@link #health()} after a real probe of each model: the embedder embeds one short text (for a remote one a
     * request of a few tokens; a model not loaded yet is loaded), and the chat model, when one is set, answers one
     * short prompt in at most one token (a paid call for a hosted LLM). A failed probe makes its part DOWN with the
     * error as the reason; a part already DOWN is not probed. What {@code parallelrag health} runs.
     */
    public HealthRegistry.Report checkHealth() {
        return call(health::check);
    }

    private Rag newRag(VectorStore target) {
        VectorStore queried = settings.meterRegistry == null ? target
                : TimedVectorStore.of(target, storeKind(target), settings.meterRegistry);
        return Rag.builder(embedder, queried).k(settings.k).mode(settings.mode).chatModel(settings.chatModel)
                .fallbackToExtractive(settings.fallbackToExtractive).meterRegistry(settings.meterRegistry).build();
    }

    /** The store's kind for the query meter: the plug-in's name ({@code lucene}), {@code memory} before an index exists. */
    private String storeKind(VectorStore target) {
        if (target instanceof InMemoryVectorStore) {
            return "memory";
        }
        return existingKind != null ? existingKind.kind() : storeForNewIndex().kind();
    }

    private synchronized ParallelRuntime runtime() {
        if (runtime == null) {
            runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(settings.sizing.cpuPoolSize()).build());
        }
        return runtime;
    }

    private void ensureOpen() {
        if (calls.isClosed()) {
            throw calls.closedError();
        }
    }

    /** Runs a call through the gate, so that {@link #close()} waits for it. */
    private <T> T call(Supplier<T> work) {
        calls.enter();
        try {
            return work.get();
        } finally {
            calls.exit();
        }
    }

    /**
     * Refuses new calls, waits up to {@link #CLOSE_GRACE} for the ones running (a call still running then fails
     * with a store error, cleanly), then closes the store (committing an ingest's writes), the model it built and
     * its CPU pool, in that order. Idempotent.
     */
    @Override
    public void close() {
        if (!calls.close()) {
            return;
        }
        health.close();
        calls.awaitIdle(CLOSE_GRACE); // outside the monitor: the calls being waited for take it
        closeResources();
    }

    private synchronized void closeResources() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            if (ownsModel) {
                embedder.release();
            }
            if (runtime != null) {
                runtime.close();
            }
            if (ingestMeters != null) {
                ingestMeters.close();
            }
        }
    }

    @Override
    public String toString() {
        return "ParallelRag[" + location + ", embedder=" + embedder.modelId() + (store == null ? ", no index yet]" : "]");
    }

    /**
     * Options of an engine. Everything defaults to what the index records, so none is needed to reopen an
     * index; the embedder and splitter settings choose for a new index. Not thread-safe.
     */
    public static final class Builder {
        private final StoreLocation location;
        private String embedderKind;
        private String embedderModel;
        private EmbeddingModel embeddingModel;
        private TextSplitter splitter;
        private ChatModel chatModel;
        private int k = Rag.DEFAULT_K;
        private SearchMode mode = SearchMode.HYBRID;
        private boolean fallbackToExtractive;
        private boolean embeddingCache = true;
        private Path cacheDirectory;
        private ProviderConfig providerConfig;
        private UnaryOperator<String> environment = System::getenv;
        private ResilienceConfig embedderResilience;
        private boolean rebuild;
        private DeploymentSize size;
        private Sizing sizing;
        private MeterRegistry meterRegistry;

        private Builder(StoreLocation location) {
            if (location == null) {
                throw new ValidationException("location", null, "must be the index directory, e.g. .parallelrag");
            }
            this.location = location;
        }

        /**
         * The embedder of a new index: {@code local} (model default bge-small-en-v1.5-q), or a provider with
         * embeddings ({@code openai}, {@code gemini}, {@code ollama}, {@code compatible}) and its model
         * name. For an index that holds chunks it must be the recorded one: another model is an error. A null
         * kind with a model name is the recorded kind (for a new index {@code local}); both null: the recorded embedder.
         */
        public Builder embedder(String kind, String model) {
            this.embedderKind = kind;
            this.embedderModel = model;
            return this;
        }

        /**
         * A model instance of your own instead of one built from the record (it records {@code custom} unless it
         * describes itself). It must be the model that embedded the index. The caller closes it.
         */
        public Builder embeddingModel(EmbeddingModel model) {
            this.embeddingModel = model;
            return this;
        }

        /** The splitter of the next ingests; default: the recorded one, or {@link SplitterSpec#defaults()}. */
        public Builder splitter(SplitterSpec spec) {
            this.splitter = spec == null ? null : spec.create();
            return this;
        }

        /** As {@link #splitter(SplitterSpec)}, with any splitter; one of your own is recorded by fingerprint only. */
        public Builder splitter(TextSplitter splitter) {
            this.splitter = splitter;
            return this;
        }

        /** The LLM that writes answers (an {@code LlmClient} adds retries and limits); none: extractive answers. */
        public Builder chatModel(ChatModel chatModel) {
            this.chatModel = chatModel;
            return this;
        }

        /** Chunks retrieved for {@link #search(String)} and {@link #ask}: 1 to 1000, default 5. */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /** Retrieval mode for {@link #search(String)} and {@link #ask}, default hybrid. */
        public Builder mode(SearchMode mode) {
            this.mode = mode;
            return this;
        }

        /** When the chat model fails after its retries, answer extractively and say why; default false. */
        public Builder fallbackToExtractive(boolean fallback) {
            this.fallbackToExtractive = fallback;
            return this;
        }

        /** Put ingest's embedder behind the persistent embedding cache; default true. */
        public Builder embeddingCache(boolean on) {
            this.embeddingCache = on;
            return this;
        }

        /**
         * Where the embedding cache lives; default {@link #defaultEmbeddingCacheDirectory()}, the user's one, shared by
         * every index and process. A directory given here must be usable: an error otherwise, not a silent fallback.
         */
        public Builder embeddingCacheDirectory(Path directory) {
            this.cacheDirectory = directory;
            return this;
        }

        /** Connection settings (key, base URL) for a remote embedder; default: from the environment. */
        public Builder providerConfig(ProviderConfig config) {
            this.providerConfig = config;
            return this;
        }

        /**
         * Retries, timeouts and rate limits of a remote embedder's client (an unset timeout stays the
         * provider's own); default the provider's. A local embedder makes no remote call: an error.
         */
        public Builder embedderResilience(ResilienceConfig resilience) {
            this.embedderResilience = resilience;
            return this;
        }

        /**
         * Rebuild the index: the first {@link #ingest} empties its store, damaged or not, and ingests the given
         * paths into it from scratch; default false. The embedder and splitter stay the recorded ones (unless
         * given) when the record can still be read. The embedding cache is kept: each of its records carries its
         * own checksum, so unchanged text is not embedded again. Crash-safe: a run killed after the store was
         * emptied leaves an index that a plain ingest or another rebuild completes. Until that ingest the engine
         * opens nothing, so it also serves an index too damaged to open.
         */
        public Builder rebuild(boolean rebuild) {
            this.rebuild = rebuild;
            return this;
        }

        /**
         * One of the deployment sizes (small, medium, large: {@link Sizing#of(DeploymentSize)} says what each sets);
         * default none, sized from the machine ({@link Sizing#machine()}). For a size with some values of your own,
         * give a {@link #sizing(Sizing)} instead.
         */
        public Builder size(DeploymentSize size) {
            this.size = size;
            return this;
        }

        /**
         * The CPU pool, I/O permits, embedding calls in flight and document window, e.g.
         * {@code Sizing.builder(DeploymentSize.MEDIUM).cpuPoolSize(8).build()}; default {@link Sizing#machine()}.
         * With {@link #embedderResilience} its {@code ioConcurrency} must be that config's {@code maxConcurrency}
         * (or 0), since both bound the same calls.
         */
        public Builder sizing(Sizing sizing) {
            this.sizing = sizing;
            return this;
        }

        /**
         * Where the engine's meters go: the ingest pipeline's ({@link IngestMeters}: documents, chunks, failures, stage
         * times, queue depth) and the store's query latency ({@link TimedVectorStore}). Default none: nothing is
         * measured and nothing is paid for it. A registry takes the ingest meters of one open engine at a time (the
         * next {@link #build()} on it fails until that engine is closed). The chat model and a remote embedder's
         * client take their registry where they are built.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Where a remote embedder's key and base URL are read when no {@link #providerConfig} is given; default the process environment. */
        public Builder environment(UnaryOperator<String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * Opens the index (read-only until an ingest) and checks the settings against what it records.
         *
         * @throws ValidationException for a bad setting, or an embedder other than the one that embedded the index
         */
        public ParallelRag build() {
            if (!embeddingCache && cacheDirectory != null) {
                throw new ValidationException("embeddingCacheDirectory", cacheDirectory,
                        "is set while the embedding cache is off; turn the cache on or drop the directory");
            }
            if (embeddingModel != null && embedderKind != null) {
                throw new ValidationException("embedder", embedderKind, "and embeddingModel are both given; give one of them");
            }
            Builder b = copy(); // later changes to this builder do not reach the engine
            b.sizing = chosenSizing();
            return new ParallelRag(b);
        }

        /** The sizing given, the size's, or the machine's; refuses both, and a bulkhead given twice with two values. */
        private Sizing chosenSizing() {
            if (size != null && sizing != null) {
                throw new ValidationException("size", size.id(), "and sizing are both given; give one of them (a sizing"
                        + " with values of your own starts from Sizing.builder(DeploymentSize." + size + "))");
            }
            Sizing chosen = sizing != null ? sizing : size != null ? Sizing.of(size) : Sizing.machine();
            if (embedderResilience != null && chosen.ioConcurrency() > 0
                    && chosen.ioConcurrency() != embedderResilience.maxConcurrency()) {
                throw new ValidationException("ioConcurrency", chosen.ioConcurrency(), "differs from embedderResilience's"
                        + " maxConcurrency (" + embedderResilience.maxConcurrency() + "), which bounds the same calls;"
                        + " set both to the same value, or set the sizing's ioConcurrency to 0 to keep maxConcurrency");
            }
            return chosen;
        }

        private Builder copy() {
            Builder b = new Builder(location);
            b.embedderKind = embedderKind;
            b.embedderModel = embedderModel;
            b.embeddingModel = embeddingModel;
            b.splitter = splitter;
            b.chatModel = chatModel;
            b.k = k;
            b.mode = mode;
            b.fallbackToExtractive = fallbackToExtractive;
            b.embeddingCache = embeddingCache;
            b.cacheDirectory = cacheDirectory;
            b.providerConfig = providerConfig;
            b.environment = environment;
            b.embedderResilience = embedderResilience;
            b.rebuild = rebuild;
            b.size = size;
            b.sizing = sizing;
            b.meterRegistry = meterRegistry;
            return b;
        }
    }
}
