package dev.parallelrag.jobs;

import java.util.Locale;

/** Where one file of an ingest job is. A file moves forward only: queued, reading, embedding, then an end. */
public enum FileState {
    /** Waiting to be read. */
    QUEUED,
    /** Being read and split. */
    READING,
    /** Split; its new chunks are being embedded and written. */
    EMBEDDING,
    /** Its chunks are in the index (none new when its content was already there). */
    STORED,
    /** It failed with its own error ({@link FileStatus#failure()}); the other files go on. */
    FAILED,
    /** Not run because the job was cancelled or stopped first; its old version, if any, is unchanged. */
    NOT_RUN;

    /** Whether this is an end state. */
    public boolean ended() {
        return this == STORED || this == FAILED || this == NOT_RUN;
    }

    /** The name used on the wire, e.g. {@code not_run}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
