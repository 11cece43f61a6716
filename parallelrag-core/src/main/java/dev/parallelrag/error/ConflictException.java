package dev.parallelrag.error;

/**
 * A request that cannot be done in the current state of what it names: cancelling a job that has already ended,
 * deleting a document an ingest job is writing. A server answers it with 409. The message says what stands in the
 * way and what to do.
 */
public final class ConflictException extends ParallelRagException {

    public ConflictException(String message) {
        super(message);
    }

    /** The caller may retry once the state has changed; nothing failed. */
    @Override
    public ErrorKind kind() {
        return ErrorKind.VALIDATION;
    }
}
