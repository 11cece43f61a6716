package dev.parallelrag.error;

/**
 * A thing asked for by id does not exist (or no longer does): an ingest job, a document. A server answers it
 * with 404. The message names what was looked for and what to do.
 */
public final class NotFoundException extends ParallelRagException {

    private final String what;
    private final String id;

    /**
     * @param what the kind of thing, e.g. {@code job}
     * @param id   the id asked for
     * @param hint what to do, e.g. where the valid ids are listed
     */
    public NotFoundException(String what, String id, String hint) {
        super(what + " " + id + " does not exist; " + hint);
        this.what = what;
        this.id = id;
    }

    /** The kind of thing looked for, e.g. {@code job} or {@code document}. */
    public String what() {
        return what;
    }

    /** The id asked for. */
    public String id() {
        return id;
    }

    /** A request naming a missing id is the caller's to fix. */
    @Override
    public ErrorKind kind() {
        return ErrorKind.VALIDATION;
    }
}
