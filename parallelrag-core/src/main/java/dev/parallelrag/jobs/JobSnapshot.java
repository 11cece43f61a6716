package dev.parallelrag.jobs;

import dev.parallelrag.pipeline.IngestSummary;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An ingest job as it is now.
 *
 * @param id        the job's id
 * @param state     where the job is
 * @param submitted when it was accepted
 * @param started   when it started running
 * @param ended     when it ended
 * @param counts    files per state, and chunks written
 * @param files     every file, in the order submitted
 * @param error     why it failed, when {@link JobState#FAILED}
 * @param summary   the ingest's summary, once it ran
 * @param events    events logged so far: the sequence of the last one
 */
public record JobSnapshot(String id, JobState state, Instant submitted, Optional<Instant> started,
                          Optional<Instant> ended, JobCounts counts, List<FileStatus> files, Optional<String> error,
                          Optional<IngestSummary> summary, long events) {

    public JobSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submitted, "submitted");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(counts, "counts");
        files = List.copyOf(files);
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(summary, "summary");
    }
}
