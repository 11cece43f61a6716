package dev.parallelrag.pipeline;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.error.DiskFullException;
import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.StoppedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.read.DocumentReadException;
import dev.parallelrag.read.PathNames;
import dev.parallelrag.read.SourceWalker;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.store.VectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Ingests files into a {@link VectorStore}: read, split and dedupe (CPU pool, {@code documentWindow}
 * files ahead), batch under a token budget, embed ({@code embedConcurrency} batches in flight), then
 * write on the calling thread. The stages run at the same time and are joined by bounded windows, so a
 * slow stage slows the ones before it and memory stays flat (one document's chunks are the largest unit
 * held).
 *
 * <h2>Idempotent and crash-safe</h2>
 * Chunk ids come from the document id, the document's content hash, the splitter fingerprint and the
 * chunk index ({@link ChunkIds}). Per document, the planner asks the store which ids it already holds
 * for this model and embeds only the others; the writer upserts them and then deletes the document's
 * stale ids (those of an older version). Documents are written strictly in input order and the store is
 * committed only between documents, so a commit never holds half a document, and a document's old chunks
 * disappear in the same commit as its new ones appear. A run killed at any point leaves a committed state
 * from which a re-run converges to exactly the index an uninterrupted run makes: every document ends with
 * precisely its current chunk ids, each embedded once by the deterministic model.
 *
 * <h2>Failures</h2>
 * A file that cannot be read, split or embedded is reported ({@link FileFailure}, with its path) and
 * skipped; its previous chunks, if any, stay as they were. The run goes on. What would fail every later
 * document stops the run instead, with that error: a store error on writing (an I/O error, a closed index),
 * a full disk ({@link DiskFullException}, also from the embedding cache) and a closed model
 * ({@link ClosedException}). The embedding calls in flight are waited for before the error leaves
 * {@link #run}, so the caller may close the model and the store at once; what was committed stays, and a
 * re-run resumes from it.
 *
 * <h2>Stopping</h2>
 * A run given a {@link StopSignal} stops in order when it is signalled: no further file is read, no embedding
 * call starts, and the calls in flight have the signal's grace to finish. Documents are written in input order
 * up to the first one whose embedding was not done; that one and all after it are left for the next run (a
 * document's partial chunks are removed, so its old version stays), what was written is committed, and the
 * summary says how many files were not run ({@link IngestSummary#documentsNotRun()}). The same ingest run again
 * finishes them; vectors of calls that finished beyond that point are in the embedding cache, if the embedder
 * has one, so the re-run does not pay for them again. {@code prune} is skipped in a stopped run.
 */
public final class IngestPipeline {

    private static final int MAX_SEGMENTS_PER_UNIT = 64;

    private final IngestConfig config;
    private final EmbeddingModel embedder;
    private final int batchSize;
    private final int batchTokens;
    private final VectorStore store;
    private final ParallelRuntime runtime;
    private final IngestMeters meters; // null: no meters, and nothing is counted

    /**
     * The embedder, store and runtime are borrowed: the caller closes them. Pass an {@code EmbeddingClient}
     * for retries, limits and stats around a remote model.
     *
     * @throws ValidationException when the config asks for larger embedding calls than the embedder takes
     */
    public IngestPipeline(IngestConfig config, EmbeddingModel embedder, VectorStore store, ParallelRuntime runtime) {
        this(config, embedder, store, runtime, Optional.empty());
    }

    /**
     * As the other constructor, recording every run into the given meters (see {@link IngestMeters}); the meters
     * are borrowed too.
     */
    public IngestPipeline(IngestConfig config, EmbeddingModel embedder, VectorStore store, ParallelRuntime runtime,
                          IngestMeters meters) {
        this(config, embedder, store, runtime, Optional.of(meters));
    }

    private IngestPipeline(IngestConfig config, EmbeddingModel embedder, VectorStore store, ParallelRuntime runtime,
                           Optional<IngestMeters> meters) {
        this.meters = meters.orElse(null);
        this.config = Objects.requireNonNull(config, "config");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.store = Objects.requireNonNull(store, "store");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.batchSize = withinLimit("batchSize", config.batchSize(), embedder.maxBatchSize(), "texts");
        this.batchTokens = withinLimit("batchTokens", config.batchTokens(), embedder.maxBatchTokens(), "tokens");
    }

    /** A requested size (0 for the embedder's own limit) that the embedder can take, or a ValidationException. */
    private int withinLimit(String field, int requested, int limit, String unit) {
        if (requested > limit) {
            throw new ValidationException(field, requested, "is more than the embedder " + embedder.modelId()
                    + " takes per call (" + limit + " " + unit + "); leave " + field
                    + " unset to use that limit, or set at most " + limit);
        }
        return requested > 0 ? requested : limit;
    }

    /** Walks the paths (files or directories) and ingests what it finds. */
    public IngestSummary run(List<Path> paths, IngestListener listener) {
        return run(paths, listener, StopSignal.never());
    }

    /** As {@link #run(List, IngestListener)}, stoppable from another thread in an orderly way (see the class notes). */
    public IngestSummary run(List<Path> paths, IngestListener listener, StopSignal stop) {
        if (paths == null || paths.isEmpty()) {
            throw new ValidationException("paths", paths, "must name at least one file or directory");
        }
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(stop, "stop");
        long t0 = System.nanoTime();
        SourceWalker walker = new SourceWalker(config.readers(), config.includeGlobs(), config.excludeGlobs(),
                config.includeHidden());
        SourceWalker.Result walked = walker.walk(paths);
        List<IngestItem> items = walked.files().stream().map(f -> IngestItem.file(f.path(), f.documentId())).toList();
        return ingest(items, walked, config.prune() ? paths : List.of(), listener, stop, t0);
    }

    /**
     * Ingests documents that the caller names itself, in the given order: files under ids of its choosing, or
     * texts in memory ({@link IngestItem}). Nothing is walked, so the config's include, exclude, hidden-file and
     * prune settings do not apply; everything else (idempotence, order, failures, stopping) is as for
     * {@link #run(List, IngestListener, StopSignal)}. Two items with one id are refused: the second would
     * replace the first within the run.
     *
     * @throws ValidationException for an empty list or a repeated id
     */
    public IngestSummary runItems(List<IngestItem> items, IngestListener listener, StopSignal stop) {
        if (items == null || items.isEmpty()) {
            throw new ValidationException("items", items, "must hold at least one document to ingest");
        }
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(stop, "stop");
        Set<String> ids = new java.util.HashSet<>();
        for (IngestItem item : items) {
            if (!ids.add(Objects.requireNonNull(item, "item").documentId())) {
                throw new ValidationException("items", item.documentId(), "is given twice; give each document once");
            }
        }
        return ingest(List.copyOf(items), new SourceWalker.Result(List.of(), List.of(), 0), List.of(), listener, stop,
                System.nanoTime());
    }

    /** The run itself; {@code pruneRoots} empty for no pruning, {@code walked} for the walk's failures and counts. */
    private IngestSummary ingest(List<IngestItem> items, SourceWalker.Result walked, List<Path> pruneRoots,
                                 IngestListener listener, StopSignal stop, long t0) {
        int concurrency = config.embedConcurrency() > 0 ? config.embedConcurrency() : Math.max(1, embedder.preferredConcurrency());
        EmbedderSpec spec = embedder.spec();
        if (meters != null) {
            listener = meters.listener(listener);
        }
        recordManifest(spec);
        Map<String, Long> countersBefore = embedder.counters();
        listener.on(new IngestEvent.Started(items.size(), embedder.modelId()));

        Run run = new Run(listener, concurrency, stop);
        for (DocumentReadException e : walked.failures()) {
            run.fail(new FileFailure(e.path(), StageClock.READ, e.kind(), e.getMessage()), 0);
        }
        run.execute(items);
        if (!pruneRoots.isEmpty() && !stop.isStopped()) {
            run.prune(pruneRoots, walked);
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        IngestSummary summary = run.summary(items.size(), walked, wall, countersMoved(countersBefore, embedder.counters()));
        Map<String, String> last = new java.util.HashMap<>();
        last.put(IndexManifest.LAST_INGEST, summary.toJson());
        if (spec.dimension() == 0 && store.dimension() > 0) { // a remote model learns its dimension from the first call
            last.put(IndexManifest.EMBEDDER_DIMENSION, Integer.toString(store.dimension()));
        }
        store.putIndexMetadata(last);
        store.commit();
        listener.on(new IngestEvent.Committed(run.written));
        listener.on(new IngestEvent.Finished(summary));
        return summary;
    }

    /**
     * Writes the index manifest (embedder and splitter) before anything is committed, so that a committed
     * chunk always comes with the record of how it was made. Refuses another embedding model for an index
     * that holds chunks: their vectors could not be compared with the new ones.
     */
    private void recordManifest(EmbedderSpec spec) {
        Map<String, String> current = store.indexMetadata();
        IndexManifest.read(current).ifPresent(m -> m.requireSameEmbedder(spec, store.count()));
        store.putIndexMetadata(IndexManifest.entries(spec, SplitterSpec.of(config.splitter()), config.splitterFingerprint(),
                current));
    }

    /** Each counter's change during the run, in the embedder's order; the embedder may be shared with other work. */
    private static Map<String, Long> countersMoved(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> moved = new java.util.LinkedHashMap<>();
        after.forEach((name, value) -> moved.put(name, value - before.getOrDefault(name, 0L)));
        return moved;
    }

    /** A unit with its vectors, or the error its embedding call raised. */
    private record Embedded(EmbedUnit unit, List<float[]> vectors, RuntimeException error) {
    }

    /** State of one run, touched only by the writer (calling) thread. */
    private final class Run {
        private final IngestListener listener;
        private final StageClock clock = new StageClock();
        private final List<FileFailure> failures = new ArrayList<>();
        private final Set<String> failedDocuments = new java.util.HashSet<>();
        private final java.util.Map<String, List<String>> writtenThisRun = new java.util.HashMap<>();
        private int ingested;
        private int unchanged;
        private int pruned;
        private int done;
        private long added;
        private long skipped;
        private long removed;
        private long failedChunks;
        private long written;
        private long writtenSinceCommit;
        private long lastCommit = System.nanoTime();
        private long toEmbedTotal;
        private long embeddedTotal;
        private final int concurrency;
        private final StopSignal stop;

        Run(IngestListener listener, int concurrency, StopSignal stop) {
            this.listener = listener;
            this.concurrency = concurrency;
            this.stop = stop;
        }

        void execute(List<IngestItem> items) {
            DocumentPlanner planner = new DocumentPlanner(config, store, embedder.modelId(), clock);
            try (WindowDepth planQueue = window(IngestMeters.PLAN_QUEUE);
                 WindowDepth embedQueue = window(IngestMeters.EMBED_QUEUE)) {
                Iterator<IngestItem> source = planQueue.filling(stop.untilStopped(items.iterator()));
                try (Stream<Outcome<DocumentPlan>> plans = runtime.streamCpu(source, config.documentWindow(), planner::plan)) {
                    Iterator<DocumentPlan> planIterator = plans.map(Outcome::orElseThrow).map(plan -> {
                        planQueue.took();
                        return announce(plan);
                    }).iterator();
                    UnitBatcher batcher = new UnitBatcher(planIterator, batchSize, batchTokens, MAX_SEGMENTS_PER_UNIT);
                    try (Stream<Outcome<Embedded>> embedded = runtime.streamIo(embedQueue.filling(batcher), concurrency,
                            stop, this::embed)) {
                        // results come back in unit order, so documents are written strictly in input order
                        Iterator<Outcome<Embedded>> results = embedded.iterator();
                        while (results.hasNext()) {
                            Outcome<Embedded> result = results.next();
                            embedQueue.took();
                            if (stoppedHere(result)) {
                                break; // closing the streams waits for the calls in flight, within the stop's grace
                            }
                            write(result.orElseThrow());
                        }
                    }
                }
            }
            if (stop.isStopped()) {
                dropUnfinished();
            }
        }

        private WindowDepth window(String queue) {
            return meters == null ? WindowDepth.NONE : meters.window(queue);
        }

        /** The first unit that the stop left undone: it and every later unit are left for the next run. */
        private static boolean stoppedHere(Outcome<Embedded> result) {
            return switch (result) {
                case Outcome.Failure<Embedded> f -> f.error() instanceof StoppedException;
                case Outcome.Success<Embedded> s -> s.value().error() instanceof StoppedException;
            };
        }

        /** A document written in part when the run stopped loses those chunks, so its old version stays whole. */
        private void dropUnfinished() {
            for (List<String> partial : writtenThisRun.values()) {
                store.deleteChunks(partial);
            }
            writtenThisRun.clear();
        }

        private DocumentPlan announce(DocumentPlan plan) {
            if (!plan.failed()) {
                toEmbedTotal += plan.toEmbed().size();
                listener.on(new IngestEvent.DocumentPlanned(plan.documentId(), plan.chunks().size(), plan.toEmbed().size(),
                        plan.unchanged()));
            }
            return plan;
        }

        /** Never throws: a failed batch travels to the writer with its unit, which fails its documents. */
        private Embedded embed(EmbedUnit unit) {
            List<String> texts = unit.texts();
            if (texts.isEmpty()) {
                return new Embedded(unit, List.of(), null);
            }
            long t = clock.start();
            try {
                List<float[]> vectors = embedder.embedBatch(texts);
                if (vectors == null || vectors.size() != texts.size()) {
                    throw new IllegalStateException("embedder " + embedder.modelId() + " returned "
                            + (vectors == null ? "null" : vectors.size() + " vectors") + " for " + texts.size() + " texts");
                }
                return new Embedded(unit, vectors, null);
            } catch (RuntimeException e) {
                return new Embedded(unit, List.of(), stop.outcomeError(e));
            } finally {
                clock.stop(StageClock.EMBED, t);
            }
        }

        private void write(Embedded result) {
            long t = clock.start();
            try {
                writeUnit(result.unit(), result.vectors(), result.error());
            } finally {
                clock.stop(StageClock.WRITE, t);
            }
        }

        /** Writes a unit; when its embedding failed, the documents with chunks in it fail, the others go on. */
        private void writeUnit(EmbedUnit unit, List<float[]> vectors, RuntimeException error) {
            int v = 0;
            for (EmbedUnit.Segment segment : unit.segments()) {
                DocumentPlan plan = segment.plan();
                String id = plan.documentId();
                if (plan.failed()) {
                    if (segment.last()) {
                        fail(plan.failure(), 0);
                        if (!plan.staleIds().isEmpty()) {
                            removed += store.deleteChunks(plan.staleIds());
                        }
                    }
                    continue;
                }
                int n = segment.items().size();
                if (failedDocuments.contains(id)) {
                    v += n;
                    failedChunks += n;
                    continue;
                }
                if (error != null && n > 0) {
                    stopOnRunWideFailure(error);
                    failDocument(plan, StageClock.EMBED, error);
                    continue;
                }
                if (n > 0) {
                    List<dev.parallelrag.store.StoredChunk> batch = new ArrayList<>(n);
                    for (PlannedChunk c : segment.items()) {
                        batch.add(c.withVector(vectors.get(v++), embedder.modelId()));
                    }
                    try {
                        store.upsert(batch);
                    } catch (RuntimeException e) {
                        if (e instanceof ParallelRagException p && p.kind() == ErrorKind.STORE) {
                            throw e; // the store would fail the next document too
                        }
                        stopOnRunWideFailure(e);
                        failDocument(plan, StageClock.WRITE, e);
                        continue;
                    }
                    writtenThisRun.computeIfAbsent(id, k -> new ArrayList<>()).addAll(segment.items().stream().map(PlannedChunk::id).toList());
                    embeddedTotal += n;
                    listener.on(new IngestEvent.BatchEmbedded(n, embeddedTotal, toEmbedTotal));
                }
                if (segment.last()) {
                    finish(plan);
                }
            }
        }

        /** A full disk or a closed model fails every later document as well: the run stops with it. */
        private void stopOnRunWideFailure(RuntimeException error) {
            if (error instanceof DiskFullException || error instanceof ClosedException) {
                throw error;
            }
        }

        private void finish(DocumentPlan plan) {
            long stale = plan.staleIds().isEmpty() ? 0 : store.deleteChunks(plan.staleIds());
            writtenThisRun.remove(plan.documentId());
            int newChunks = plan.toEmbed().size();
            removed += stale;
            added += newChunks;
            skipped += plan.chunks().size() - newChunks;
            written += newChunks;
            writtenSinceCommit += newChunks + stale;
            if (plan.unchanged()) {
                unchanged++;
            } else {
                ingested++;
            }
            done++;
            listener.on(new IngestEvent.DocumentWritten(plan.documentId(), newChunks, plan.chunks().size() - newChunks,
                    (int) stale, done));
            maybeCommit();
        }

        private void maybeCommit() {
            // only called between documents, so a commit never holds half a document
            boolean due = writtenSinceCommit >= config.commitEveryChunks()
                    || (writtenSinceCommit > 0 && System.nanoTime() - lastCommit >= config.commitInterval().toNanos());
            if (due) {
                store.commit();
                writtenSinceCommit = 0;
                lastCommit = System.nanoTime();
                listener.on(new IngestEvent.Committed(written));
            }
        }

        /** Marks a document failed and removes what this run already wrote of it: its old version stays. */
        private void failDocument(DocumentPlan plan, String stage, Throwable error) {
            failedDocuments.add(plan.documentId());
            List<String> partial = writtenThisRun.remove(plan.documentId());
            if (partial != null && !partial.isEmpty()) {
                store.deleteChunks(partial);
            }
            fail(FileFailure.of(plan.documentId(), stage, error), plan.toEmbed().size());
        }

        void fail(FileFailure failure, int chunks) {
            failures.add(failure);
            failedChunks += chunks;
            listener.on(new IngestEvent.DocumentFailed(failure));
        }

        void prune(List<Path> roots, SourceWalker.Result walked) {
            Set<String> found = new java.util.HashSet<>();
            walked.files().forEach(f -> found.add(f.documentId()));
            List<String> rootIds = roots.stream().map(PathNames::documentId).toList();
            List<String> unlisted = walked.failures().stream().map(DocumentReadException::path).toList();
            for (String documentId : new TreeSet<>(store.documentIds())) {
                if (found.contains(documentId) || !underAny(documentId, rootIds) || underAny(documentId, unlisted)) {
                    continue;
                }
                long n = store.deleteDocument(documentId);
                removed += n;
                pruned++;
                listener.on(new IngestEvent.DocumentPruned(documentId, n));
            }
        }

        private static boolean underAny(String id, List<String> roots) {
            for (String root : roots) {
                if (root.isEmpty() || root.equals(".")) {
                    if (!id.startsWith("/") && !id.startsWith("../")) {
                        return true;
                    }
                } else if (id.equals(root) || id.startsWith(root.endsWith("/") ? root : root + "/")) {
                    return true;
                }
            }
            return false;
        }

        IngestSummary summary(int items, SourceWalker.Result walked, Duration wall, Map<String, Long> embedderCounters) {
            int fileFailures = failures.size() - walked.failures().size();
            int notRun = items - done - fileFailures;
            return new IngestSummary(items, ingested, unchanged, failures.size(), pruned, added, skipped,
                    removed, failedChunks, walked.unsupported(), clock.snapshot(), wall, embedderCounters, failures,
                    notRun, stop.isStopped() && notRun > 0);
        }
    }
}
