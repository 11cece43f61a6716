package dev.parallelrag.jobs;

import dev.parallelrag.engine.IngestOptions;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.error.ConflictException;
import dev.parallelrag.error.NotFoundException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.store.StoreChecks;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest as jobs over one engine: {@link #submit} takes files or texts as one job and returns its id at once; the
 * job runs in the background through the engine's ingest pipeline ({@link ParallelRag#ingestItems}: files in
 * parallel, idempotent, so resubmitting unchanged content stores nothing new). Each file's state, the job's counts
 * and an event log of every change are kept ({@link #job}, {@link #events}); {@link #cancel} stops a job within
 * about a second and keeps what it stored, and the same job submitted again completes the rest.
 *
 * <p><b>Bounds</b> ({@link IngestJobsConfig}): at most {@code maxRunningJobs} run at once and {@code maxQueuedJobs}
 * wait, in the order submitted, except that a job waits while a running job ingests one of its documents (two runs
 * writing one document at once could each remove the other's chunks) and a later job without such an overlap may
 * pass it. Ended jobs are remembered for {@code keepFinishedFor}, at most {@code keepFinished} of them.
 *
 * <p>Thread-safe. Close it before the engine: closing cancels the queued jobs, stops the running ones and waits
 * for them. The engine is the caller's to close.
 */
public final class IngestJobs implements AutoCloseable {

    /** What a refused submit asks the caller to wait before trying again while the queue is full. */
    public static final Duration QUEUE_FULL_RETRY_AFTER = Duration.ofSeconds(5);
    /** How long {@link #close()} waits for a stopped job beyond the stop's grace. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(IngestJobs.class);

    private final ParallelRag engine;
    private final IngestJobsConfig config;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, IngestJob> jobs = new HashMap<>();
    private final ArrayDeque<IngestJob> queue = new ArrayDeque<>();
    private final Map<IngestJob, Thread> running = new HashMap<>();
    private final ArrayDeque<IngestJob> ended = new ArrayDeque<>();
    private final Set<String> deleting = new HashSet<>();
    private boolean closed;

    public IngestJobs(ParallelRag engine, IngestJobsConfig config) {
        this(engine, config, InstantSource.system());
    }

    IngestJobs(ParallelRag engine, IngestJobsConfig config, InstantSource clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The bounds in force. */
    public IngestJobsConfig config() {
        return config;
    }

    /**
     * Accepts a job and returns its id at once; it runs when a slot is free.
     *
     * @throws ValidationException  when it holds more files than {@code maxFilesPerJob}
     * @throws RateLimitedException when {@code maxQueuedJobs} jobs are already waiting (retry after
     *                              {@link #QUEUE_FULL_RETRY_AFTER})
     * @throws ConflictException    when one of its documents is being deleted
     * @throws ClosedException      once closed
     */
    public String submit(JobRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.items().size() > config.maxFilesPerJob()) {
            throw new ValidationException("documents", request.items().size() + " files", "is more than one job takes ("
                    + "maxFilesPerJob " + config.maxFilesPerJob() + "); split them over several jobs");
        }
        lock.lock();
        try {
            ensureOpen();
            forgetOld();
            if (queue.size() >= config.maxQueuedJobs() && !(queue.isEmpty() && running.size() < config.maxRunningJobs())) {
                throw new RateLimitedException("the ingest queue is full (" + queue.size() + " jobs waiting, maxQueuedJobs "
                        + config.maxQueuedJobs() + "); retry in " + QUEUE_FULL_RETRY_AFTER.toSeconds() + " s, or wait for"
                        + " a job to end", QUEUE_FULL_RETRY_AFTER);
            }
            for (IngestItem item : request.items()) {
                if (deleting.contains(item.documentId())) {
                    throw new ConflictException("document " + item.documentId() + " is being deleted; submit it again"
                            + " once the delete has returned");
                }
            }
            String id = UUID.randomUUID().toString();
            IngestJob job = new IngestJob(id, request, StopSignal.withGrace(config.stopGrace()), clock.instant());
            jobs.put(id, job);
            queue.addLast(job);
            startWhatCan();
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The job as it is now: its state, each file's state, its counts.
     *
     * @throws NotFoundException for an id never given out, or of a job already forgotten
     */
    public JobSnapshot job(String id) {
        return find(id).snapshot();
    }

    /** Every job remembered, queued, running or ended, oldest submitted first. */
    public List<JobSnapshot> jobs() {
        List<IngestJob> all;
        lock.lock();
        try {
            forgetOld();
            all = new ArrayList<>(jobs.values());
        } finally {
            lock.unlock();
        }
        return all.stream().map(IngestJob::snapshot)
                .sorted(Comparator.comparing(JobSnapshot::submitted)).toList();
    }

    /**
     * The job's events after {@code afterSequence} (0 for all of them), in order. When there is none yet and the
     * job has not ended, waits up to {@code wait} for the next one; empty when none came. A job has ended once an
     * event {@link JobEvent.JobChanged} with an {@linkplain JobState#ended() end state} has been read: nothing follows.
     *
     * @throws NotFoundException    for an unknown id
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public List<JobEvent> events(String id, long afterSequence, Duration wait) throws InterruptedException {
        if (afterSequence < 0) {
            throw new ValidationException("after", afterSequence, "must be 0 (every event) or the sequence of the last"
                    + " event read");
        }
        return find(id).eventsAfter(afterSequence, Objects.requireNonNull(wait, "wait"));
    }

    /**
     * Cancels a job: a queued one ends at once; a running one reads no further file, its embedding calls in flight
     * have {@code stopGrace} to finish, what it stored stays committed, and it ends within about a second. The
     * files not run are {@link FileState#NOT_RUN}; the same job submitted again does them.
     *
     * @return the job as it is just after the cancel (a running one is still {@link JobState#RUNNING} until it stops)
     * @throws NotFoundException for an unknown id
     * @throws ConflictException when the job has already ended
     */
    public JobSnapshot cancel(String id) {
        IngestJob job = find(id);
        lock.lock();
        try {
            if (job.ended()) {
                throw new ConflictException("job " + id + " has already ended (" + job.snapshot().state().wireName()
                        + "); there is nothing to cancel");
            }
            if (!queue.remove(job)) {
                job.stop.stop(); // it runs: its thread ends it
                return job.snapshot();
            }
        } finally {
            lock.unlock();
        }
        end(job, JobState.CANCELLED, null, null);
        return job.snapshot();
    }

    /**
     * Removes a document from the index ({@link ParallelRag#deleteDocument}).
     *
     * @return the chunks removed
     * @throws NotFoundException when the index holds no such document
     * @throws ConflictException when a queued or running job ingests it (cancel the job, or wait for it)
     */
    public long deleteDocument(String documentId) {
        StoreChecks.requireDocumentId(documentId);
        lock.lock();
        try {
            ensureOpen();
            for (IngestJob job : jobs.values()) {
                if (!job.ended() && job.documentIds.contains(documentId)) {
                    throw new ConflictException("document " + documentId + " is being ingested by job " + job.id
                            + "; wait for the job to end, or cancel it, then delete the document");
                }
            }
            if (!deleting.add(documentId)) {
                throw new ConflictException("document " + documentId + " is already being deleted");
            }
        } finally {
            lock.unlock();
        }
        try {
            long removed = engine.deleteDocument(documentId);
            if (removed == 0) {
                throw new NotFoundException("document", documentId, "list the documents of the index"
                        + " (GET /v1/documents) for their ids");
            }
            return removed;
        } finally {
            lock.lock();
            try {
                deleting.remove(documentId);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Cancels the queued jobs, stops the running ones and waits for them to end. Idempotent. */
    @Override
    public void close() {
        List<Thread> threads;
        List<IngestJob> cancelled = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cancelled.addAll(queue);
            queue.clear();
            running.keySet().forEach(job -> job.stop.stop());
            threads = new ArrayList<>(running.values());
        } finally {
            lock.unlock();
        }
        cancelled.forEach(job -> end(job, JobState.CANCELLED, null, null));
        long deadline = System.nanoTime() + config.stopGrace().plus(CLOSE_WAIT).toNanos();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private IngestJob find(String id) {
        lock.lock();
        try {
            forgetOld();
            IngestJob job = id == null ? null : jobs.get(id);
            if (job == null) {
                throw new NotFoundException("job", String.valueOf(id), "it was never submitted, or it ended more than "
                        + config.keepFinishedFor() + " or " + config.keepFinished() + " jobs ago and is forgotten");
            }
            return job;
        } finally {
            lock.unlock();
        }
    }

    /** Starts queued jobs, oldest first, while slots are free; a job overlapping a running one waits. Holds the lock. */
    private void startWhatCan() {
        Iterator<IngestJob> waiting = queue.iterator();
        while (running.size() < config.maxRunningJobs() && waiting.hasNext()) {
            IngestJob job = waiting.next();
            if (running.keySet().stream().anyMatch(r -> !Collections.disjoint(r.documentIds, job.documentIds))) {
                continue;
            }
            waiting.remove();
            job.start(clock.instant());
            Thread thread = Thread.ofVirtual().name("parallelrag-ingest-job-" + job.id).unstarted(() -> run(job));
            running.put(job, thread);
            thread.start();
        }
    }

    /** Runs a job on its own (virtual) thread; the pipeline does its CPU work on the engine's pool. */
    private void run(IngestJob job) {
        JobState state;
        String error = null;
        IngestSummary summary = null;
        try {
            summary = engine.ingestItems(job.trackedItems(), IngestOptions.builder().listener(job.listener())
                    .stop(job.stop).build());
            state = summary.interrupted() ? JobState.CANCELLED : JobState.SUCCEEDED;
        } catch (RuntimeException e) {
            state = JobState.FAILED;
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn("ingest job {} failed: {}", job.id, error);
        }
        lock.lock();
        try {
            running.remove(job);
            if (!closed) {
                startWhatCan();
            }
        } finally {
            lock.unlock();
        }
        end(job, state, error, summary);
    }

    /**
     * Ends a job that no longer runs nor waits: deletes the directories its request named (outside the lock, so that
     * submits never wait for it; before its end is logged, so that a reader who sees the end finds them gone), then
     * records its end and remembers it among the ended.
     */
    private void end(IngestJob job, JobState state, String error, IngestSummary summary) {
        job.deleteWhenDone.forEach(IngestJobs::deleteTree);
        lock.lock();
        try {
            job.end(state, error, summary, clock.instant());
            ended.addLast(job);
            forgetOld();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets ended jobs beyond {@code keepFinished}, and those ended longer ago than {@code keepFinishedFor}. Holds the lock. */
    private void forgetOld() {
        Instant oldest = clock.instant().minus(config.keepFinishedFor());
        while (!ended.isEmpty() && (ended.size() > config.keepFinished() || ended.peekFirst().endedAt().isBefore(oldest))) {
            jobs.remove(ended.removeFirst().id);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedException("the ingest jobs are closed; no job can be submitted");
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {} after its ingest job ended: {}", root, e.toString());
        }
    }
}
