package dev.parallelrag.jobs;

import dev.parallelrag.pipeline.FileFailure;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of an ingest job as it is now.
 *
 * @param source      the document id it is ingested as (an upload's name, a text's id)
 * @param state       where it is
 * @param chunks      its chunks, once split (0 before)
 * @param chunksAdded chunks embedded and written for it (0 when its content was already indexed)
 * @param failure     why it failed, when {@link FileState#FAILED}
 */
public record FileStatus(String source, FileState state, int chunks, int chunksAdded, Optional<FileFailure> failure) {

    public FileStatus {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(failure, "failure");
    }

    static FileStatus queued(String source) {
        return new FileStatus(source, FileState.QUEUED, 0, 0, Optional.empty());
    }

    FileStatus to(FileState next) {
        return new FileStatus(source, next, chunks, chunksAdded, failure);
    }
}
