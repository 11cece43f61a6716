package dev.parallelrag.jobs;

import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.IngestEvent;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.read.ReaderRegistry;
import dev.parallelrag.runtime.StopSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One job's state and event log. The pipeline's writer thread, the CPU threads that read its files and any number
 * of readers of its state touch it at once: every access holds its lock, briefly.
 */
final class IngestJob {

    final String id;
    final List<Path> deleteWhenDone;
    final Set<String> documentIds;
    final StopSignal stop;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition logged = lock.newCondition();
    private final List<FileStatus> files = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private final List<JobEvent> log = new ArrayList<>();
    private final Instant submitted;
    private List<IngestItem> items; // dropped when the job ends: a text job's texts are not kept for keepFinishedFor
    private JobState state = JobState.QUEUED;
    private Instant started;
    private Instant ended;
    private String error;
    private IngestSummary summary;

    IngestJob(String id, JobRequest request, StopSignal stop, Instant submitted) {
        this.id = id;
        this.items = request.items();
        this.deleteWhenDone = request.deleteWhenDone();
        this.stop = stop;
        this.submitted = submitted;
        Set<String> ids = new LinkedHashSet<>();
        for (IngestItem item : request.items()) {
            ids.add(item.documentId());
            positions.put(item.documentId(), files.size());
            files.add(FileStatus.queued(item.documentId()));
        }
        this.documentIds = Set.copyOf(ids);
        files.forEach(f -> log.add(new JobEvent.FileChanged(log.size() + 1, id, f)));
        log.add(new JobEvent.JobChanged(log.size() + 1, id, state, JobCounts.of(files), Optional.empty()));
    }

    /** The request's items, each marking its file {@link FileState#READING} when the pipeline starts to read it. */
    List<IngestItem> trackedItems() {
        return read(() -> items.stream().<IngestItem>map(Tracked::new).toList());
    }

    /** Turns the pipeline's events into file states; runs on the pipeline's writer thread. */
    IngestListener listener() {
        return event -> {
            switch (event) {
                case IngestEvent.DocumentPlanned p -> change(p.source(), s -> new FileStatus(s.source(),
                        FileState.EMBEDDING, p.chunks(), 0, Optional.empty()));
                case IngestEvent.DocumentWritten w -> change(w.source(), s -> new FileStatus(s.source(),
                        FileState.STORED, s.chunks(), w.added(), Optional.empty()));
                case IngestEvent.DocumentFailed f -> change(f.failure().source(), s -> new FileStatus(s.source(),
                        FileState.FAILED, s.chunks(), 0, Optional.of(f.failure())));
                default -> { }
            }
        };
    }

    boolean queued() {
        return read(() -> state == JobState.QUEUED);
    }

    boolean ended() {
        return read(() -> state.ended());
    }

    Instant endedAt() {
        return read(() -> ended);
    }

    void start(Instant now) {
        lock.lock();
        try {
            state = JobState.RUNNING;
            started = now;
            logJob();
        } finally {
            lock.unlock();
        }
    }

    /** The job's end: every file not at an end is {@link FileState#NOT_RUN}; the last event says how it ended. */
    void end(JobState end, String failure, IngestSummary result, Instant now) {
        lock.lock();
        try {
            for (int i = 0; i < files.size(); i++) {
                if (!files.get(i).state().ended()) {
                    files.set(i, files.get(i).to(FileState.NOT_RUN));
                    log.add(new JobEvent.FileChanged(log.size() + 1, id, files.get(i)));
                }
            }
            state = end;
            items = List.of();
            error = failure;
            summary = result;
            ended = now;
            logJob();
        } finally {
            lock.unlock();
        }
    }

    JobSnapshot snapshot() {
        return read(() -> new JobSnapshot(id, state, submitted, Optional.ofNullable(started), Optional.ofNullable(ended),
                JobCounts.of(files), files, Optional.ofNullable(error), Optional.ofNullable(summary), log.size()));
    }

    /**
     * The events after {@code sequence}, waiting up to {@code wait} for one when there is none yet; empty when none
     * came in time or the job had already ended with that event.
     */
    List<JobEvent> eventsAfter(long sequence, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (log.size() <= sequence && !state.ended() && nanos > 0) {
                nanos = logged.awaitNanos(nanos);
            }
            int from = (int) Math.min(Math.max(sequence, 0), log.size());
            return List.copyOf(log.subList(from, log.size()));
        } finally {
            lock.unlock();
        }
    }

    private void change(String source, UnaryOperator<FileStatus> next) {
        lock.lock();
        try {
            Integer at = positions.get(source);
            if (at == null) {
                return; // not one of this job's documents (the pipeline names only the items it was given)
            }
            FileStatus current = files.get(at);
            FileStatus updated = next.apply(current);
            boolean forward = !current.state().ended()
                    && (updated.state().ended() || updated.state().ordinal() > current.state().ordinal());
            if (forward) {
                files.set(at, updated);
                log.add(new JobEvent.FileChanged(log.size() + 1, id, updated));
                logged.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Logs the job's state; the caller holds the lock. */
    private void logJob() {
        log.add(new JobEvent.JobChanged(log.size() + 1, id, state, JobCounts.of(files), Optional.ofNullable(error)));
        logged.signalAll();
    }

    private <T> T read(Supplier<T> value) {
        lock.lock();
        try {
            return value.get();
        } finally {
            lock.unlock();
        }
    }

    /** An item that marks its file as being read when the pipeline reads it. */
    private final class Tracked implements IngestItem {
        private final IngestItem item;

        Tracked(IngestItem item) {
            this.item = item;
        }

        @Override
        public String documentId() {
            return item.documentId();
        }

        @Override
        public Document read(ReaderRegistry readers) {
            change(item.documentId(), s -> s.to(FileState.READING));
            return item.read(readers);
        }
    }
}
