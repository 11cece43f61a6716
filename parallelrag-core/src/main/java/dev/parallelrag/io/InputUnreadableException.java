package dev.parallelrag.io;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * An input could not be opened or read: missing, a directory, not permitted, or an I/O failure while
 * reading. The message is one line, {@code <source>: <problem>}, fit to show a user as it is.
 */
public final class InputUnreadableException extends ParallelRagException {

    private final String source;

    public InputUnreadableException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** Wraps an I/O failure with a short, human problem text instead of the JDK's bare path message. */
    public static InputUnreadableException of(String source, IOException e) {
        return new InputUnreadableException(source, describe(e), e);
    }

    /** The input's name: a path as given, or {@code -} for standard input. */
    public String source() {
        return source;
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "a parent of the path is not a directory";
            case FileSystemException x when x.getReason() != null -> x.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.OTHER;
    }
}
