package dev.parallelrag.error;

/**
 * An item of a batch or ingest run that a {@link dev.parallelrag.runtime.StopSignal} stopped: either it had not
 * started when the run was stopped, or it was still running when the stop's grace ran out and was cut off. It
 * did not fail on its own: run it again (for example {@code complete --retry-failed}, or the same ingest) to
 * finish the work.
 */
public final class StoppedException extends ParallelRagException {

    public StoppedException(String message) {
        super(message);
    }

    public StoppedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Never counted in stats: a stopped item made no request, or its request was cut off by the caller. */
    @Override
    public ErrorKind kind() {
        return ErrorKind.OTHER;
    }
}
