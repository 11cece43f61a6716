package dev.parallelrag.error;

import java.util.List;

/**
 * An index failed its integrity check: a file's checksum does not match, a file the last commit needs is
 * missing or cut short, or the record of the index cannot be read. Nothing read from such an index can be
 * trusted, and writing more into it would bury the damage, so the only fix is to build it again from the
 * sources; the message says how ({@link #FIX}). The message names every damaged file.
 */
public final class IndexCorruptException extends StoreException {

    /** What to do, with {@code %s} for the index location. */
    public static final String FIX = "rebuild it from the sources with `parallelrag ingest --rebuild PATH... --index %s`"
            + " (in Java: ParallelRag.builder(dir).rebuild(true), then ingest)";

    private final String location;
    private final List<String> files;

    /**
     * @param location the index location
     * @param files    the damaged files, by name inside the location (empty when the damage cannot be pinned on one)
     * @param detail   what is wrong, one clause per problem
     */
    public IndexCorruptException(String location, List<String> files, String detail, Throwable cause) {
        super("index " + location + " is corrupt: " + detail + "; " + String.format(FIX, location), cause);
        this.location = location;
        this.files = List.copyOf(files);
    }

    /** The index location. */
    public String location() {
        return location;
    }

    /** The damaged files, by name inside the index location. */
    public List<String> files() {
        return files;
    }
}
