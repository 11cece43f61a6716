package dev.parallelrag.jobs;

import java.util.Locale;

/** Where an ingest job is: waiting, running, or ended in one of three ways. */
public enum JobState {
    /** Accepted, waiting for a free slot (or for a running job that writes one of its documents). */
    QUEUED,
    /** Its files are being read, embedded and written. */
    RUNNING,
    /** Every file was taken through to its end: stored, or failed with its own error. */
    SUCCEEDED,
    /** The run stopped on an error that would have failed every later file (a store error, a full disk). */
    FAILED,
    /** Cancelled: what was stored before the cancel stays; the files not run are {@link FileState#NOT_RUN}. */
    CANCELLED;

    /** Whether the job has ended: no state follows. */
    public boolean ended() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The name used on the wire, e.g. {@code running}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
