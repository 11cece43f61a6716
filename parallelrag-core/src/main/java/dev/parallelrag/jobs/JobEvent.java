package dev.parallelrag.jobs;

import java.util.Objects;
import java.util.Optional;

/**
 * A change in an ingest job, numbered from 1 in the order it happened: each job keeps every one of its events
 * until it is forgotten, so a reader that comes late, or reconnects, reads them all from any point
 * ({@link IngestJobs#events}).
 */
public sealed interface JobEvent {

    /** Its place in the job's log, from 1. */
    long sequence();

    /** The job it belongs to. */
    String jobId();

    /** A file moved to a new state. */
    record FileChanged(long sequence, String jobId, FileStatus file) implements JobEvent {
        public FileChanged {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(file, "file");
        }
    }

    /** The job moved to a new state; when it has {@linkplain JobState#ended() ended}, no event follows. */
    record JobChanged(long sequence, String jobId, JobState state, JobCounts counts, Optional<String> error)
            implements JobEvent {
        public JobChanged {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(counts, "counts");
            Objects.requireNonNull(error, "error");
        }
    }
}
