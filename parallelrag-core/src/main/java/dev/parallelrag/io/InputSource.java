package dev.parallelrag.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named text input that can be opened once as a strict UTF-8 {@link Reader}. Opening is deferred, so a
 * list of many sources holds no open files; a source that cannot be opened fails with a typed error
 * naming it ({@link InputUnreadableException}), and invalid UTF-8 fails while reading
 * ({@link InvalidUtf8Exception}).
 *
 * @param id     the source's name in output and errors: a path as given, or {@code -} for standard input
 * @param opener opens the reader
 */
public record InputSource(String id, Opener opener) {

    /** Opens the text of a source. */
    @FunctionalInterface
    public interface Opener {
        Reader open() throws IOException;
    }

    public InputSource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(opener, "opener");
    }

    /** A file read as strict UTF-8; its id is the path as given. */
    public static InputSource file(Path path) {
        String id = path.toString();
        return new InputSource(id, () -> {
            if (Files.isDirectory(path)) {
                throw new InputUnreadableException(id, "is a directory, not a file", null);
            }
            return new StrictUtf8Reader(id, Files.newInputStream(path));
        });
    }

    /** A stream read as strict UTF-8 (e.g. standard input as {@code -}); it can be opened only once. */
    public static InputSource stream(String id, InputStream in) {
        Objects.requireNonNull(in, "in");
        AtomicBoolean opened = new AtomicBoolean();
        return new InputSource(id, () -> {
            if (opened.getAndSet(true)) {
                throw new IllegalStateException("input stream '" + id + "' was already opened once");
            }
            return new StrictUtf8Reader(id, in);
        });
    }

    /**
     * Opens the reader.
     *
     * @throws InputUnreadableException if it cannot be opened, with a one-line problem text
     */
    public Reader open() {
        try {
            return opener.open();
        } catch (IOException e) {
            throw InputUnreadableException.of(id, e);
        }
    }
}
