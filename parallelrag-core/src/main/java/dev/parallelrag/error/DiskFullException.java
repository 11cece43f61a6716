package dev.parallelrag.error;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A disk filled up while ParallelRAG wrote to it: the index, the embedding cache, an output file. The message
 * names the cause and the path, and says what to do; the cause is the operating system's I/O error. An ingest
 * stops at the first one (every later write would fail the same way), and a re-run after space is freed
 * resumes where it stopped.
 */
public final class DiskFullException extends ParallelRagException {

    private final Path path;

    public DiskFullException(Path path, Throwable cause) {
        super("No space left on device while writing " + path + "; free space on that disk (or write somewhere else)"
                + " and run again: an ingest resumes where it stopped", cause);
        this.path = path;
    }

    /** The file or directory that was being written. */
    public Path path() {
        return path;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.STORE;
    }

    /**
     * The operating system's out-of-space error in {@code error} or its causes, if there is one. Java gives such
     * an error no type of its own, only the system's text: {@code ENOSPC}'s "No space left on device" (Linux,
     * macOS) or Windows' "There is not enough space on the disk".
     */
    public static Optional<IOException> find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io && io.getMessage() != null) {
                String m = io.getMessage().toLowerCase(Locale.ROOT);
                if (m.contains("no space left on device") || m.contains("not enough space on the disk")) {
                    return Optional.of(io);
                }
            }
        }
        return Optional.empty();
    }
}
