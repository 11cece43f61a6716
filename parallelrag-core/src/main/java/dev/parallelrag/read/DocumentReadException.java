package dev.parallelrag.read;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A file could not be turned into a document. The message names the path, the problem and, for
 * undecodable text, the byte offset of the first bad byte; it ends with what to do.
 */
public final class DocumentReadException extends ParallelRagException {

    /** Why a file could not be read. */
    public enum Problem {
        /** No such file (or a symbolic link whose target is missing). */
        NOT_FOUND,
        /** A directory, FIFO, socket or device where a regular file was expected. */
        NOT_A_REGULAR_FILE,
        /** The operating system refused to read it, or reading failed. */
        UNREADABLE,
        /** Larger than the configured limit. */
        TOO_LARGE,
        /** Contains NUL bytes: binary content, not text. */
        BINARY,
        /** Not valid UTF-8. */
        INVALID_UTF8,
        /** The format parser (HTML, PDF, ...) rejected it. */
        PARSE_FAILED,
        /** No reader is registered for its extension. */
        NO_READER
    }

    private final String path;
    private final Problem problem;
    private final long byteOffset;

    public DocumentReadException(Path path, Problem problem, String detail) {
        this(path, problem, -1, detail, null);
    }

    public DocumentReadException(Path path, Problem problem, String detail, Throwable cause) {
        this(path, problem, -1, detail, cause);
    }

    /**
     * @param byteOffset offset of the offending byte, or -1 when not applicable
     */
    public DocumentReadException(Path path, Problem problem, long byteOffset, String detail, Throwable cause) {
        this(PathNames.render(Objects.requireNonNull(path, "path")), problem, byteOffset, detail, cause);
    }

    private DocumentReadException(String path, Problem problem, long byteOffset, String detail, Throwable cause) {
        super(path + ": " + detail, cause);
        this.path = path;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.byteOffset = byteOffset;
    }

    /**
     * The path as given to the reader, rendered by {@link PathNames#render}: lossless and safe to print
     * ({@code x\xff.txt} for a name that is not valid UTF-8).
     */
    public String path() {
        return path;
    }

    public Problem problem() {
        return problem;
    }

    /** Offset of the first offending byte, for {@link Problem#INVALID_UTF8} and {@link Problem#BINARY}. */
    public OptionalLong byteOffset() {
        return byteOffset < 0 ? OptionalLong.empty() : OptionalLong.of(byteOffset);
    }

    /** Bad input, not a system failure: the file's content or kind breaks a rule. */
    @Override
    public ErrorKind kind() {
        return ErrorKind.VALIDATION;
    }
}
