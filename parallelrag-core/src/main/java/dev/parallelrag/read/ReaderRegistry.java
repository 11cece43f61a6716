package dev.parallelrag.read;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.io.InputSource;
import dev.parallelrag.model.Document;
import dev.parallelrag.read.DocumentReadException.Problem;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Chooses a {@link DocumentReader} by file extension. Immutable and thread-safe.
 *
 * <p>{@link #defaults()} holds the built-in plain text and Markdown readers, then every reader found by
 * {@link ServiceLoader} on the class path (HTML and PDF come from the {@code parallelrag-readers}
 * module this way), in class-name order so the result does not depend on class-path order. When two
 * readers claim one extension, the one registered later wins, so a plug-in can replace a built-in.
 * Extensions match case-insensitively; the longest matching one wins ({@code tar.gz} before {@code gz}).
 */
public final class ReaderRegistry {

    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9_+-]+(\\.[a-z0-9_+-]+)*");

    private final Map<String, DocumentReader> byExtension;

    private ReaderRegistry(Map<String, DocumentReader> byExtension) {
        this.byExtension = Map.copyOf(byExtension);
    }

    /** Built-in readers plus those discovered with the context class loader (or this class's loader). */
    public static ReaderRegistry defaults() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return builder().withBuiltIns().withServiceLoader(loader != null ? loader : ReaderRegistry.class.getClassLoader()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The reader for the file's extension, if any. */
    public Optional<DocumentReader> forPath(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String file = name.toString().toLowerCase(Locale.ROOT);
        // try the longest candidate extension first: "a.tar.gz" -> "tar.gz", then "gz"
        for (int dot = file.indexOf('.', 1); dot >= 0; dot = file.indexOf('.', dot + 1)) {
            DocumentReader reader = byExtension.get(file.substring(dot + 1));
            if (reader != null) {
                return Optional.of(reader);
            }
        }
        return Optional.empty();
    }

    /** True when some reader handles the file's extension. */
    public boolean supports(Path path) {
        return forPath(path).isPresent();
    }

    /**
     * Reads the file with the reader for its extension.
     *
     * @throws DocumentReadException {@link Problem#NO_READER} when no reader handles it, or the reader's error
     */
    public Document read(Path path, String documentId) {
        DocumentReader reader = forPath(path).orElseThrow(() -> new DocumentReadException(path, Problem.NO_READER,
                "no reader for this file type; supported extensions: " + extensions()));
        return reader.read(path, documentId);
    }

    /**
     * The file's text as ingest reads it, as a source the streaming splitter can read. A file whose reader
     * keeps the text as written streams from disk, so its size does not matter; a file with another reader
     * (HTML, PDF) is read whole by it when the source is opened, and its reader's error is the source's.
     * A file no reader claims is read as strict UTF-8 text: a caller naming a file explicitly (the
     * {@code split} command) means it as text, whatever its extension, where a directory walk skips it.
     */
    public InputSource textSource(Path path) {
        Optional<DocumentReader> reader = forPath(path);
        if (reader.isEmpty() || reader.get().keepsTextAsWritten()) {
            return InputSource.file(path);
        }
        String id = path.toString();
        return new InputSource(id, () -> new StringReader(reader.get().read(path, id).text()));
    }

    /** Every registered extension, sorted. */
    public Set<String> extensions() {
        return new TreeSet<>(byExtension.keySet());
    }

    /** The reader registered for an extension (without the dot), if any. */
    public Optional<DocumentReader> forExtension(String extension) {
        return Optional.ofNullable(byExtension.get(extension.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        Map<String, Set<String>> byReader = new LinkedHashMap<>();
        new TreeSet<>(byExtension.keySet()).forEach(ext ->
                byReader.computeIfAbsent(byExtension.get(ext).name(), k -> new TreeSet<>()).add(ext));
        return "ReaderRegistry" + byReader;
    }

    /** Collects readers; later registrations override earlier ones per extension. Not thread-safe. */
    public static final class Builder {
        private final Map<String, DocumentReader> byExtension = new LinkedHashMap<>();

        private Builder() {
        }

        /** Registers the plain text and Markdown readers. */
        public Builder withBuiltIns() {
            return register(new PlainTextReader()).register(new MarkdownReader());
        }

        /** Registers every {@link DocumentReader} the loader's {@link ServiceLoader} finds, in class-name order. */
        public Builder withServiceLoader(ClassLoader loader) {
            List<DocumentReader> found = new ArrayList<>();
            ServiceLoader.load(DocumentReader.class, loader).forEach(found::add);
            found.sort(Comparator.comparing(r -> r.getClass().getName()));
            found.forEach(this::register);
            return this;
        }

        /** Registers a reader for each of its extensions. */
        public Builder register(DocumentReader reader) {
            if (reader == null) {
                throw new ValidationException("reader", null, "must not be null");
            }
            Set<String> extensions = reader.extensions();
            if (extensions == null || extensions.isEmpty()) {
                throw new ValidationException("reader.extensions", reader.name(), "must name at least one file extension");
            }
            for (String ext : extensions) {
                String normalized = ext == null ? null : ext.toLowerCase(Locale.ROOT);
                if (normalized == null || !EXTENSION.matcher(normalized).matches()) {
                    throw new ValidationException("reader.extensions", ext,
                            "must be an extension without the leading dot, e.g. \"md\" or \"tar.gz\" (reader " + reader.name() + ")");
                }
                byExtension.put(normalized, reader);
            }
            return this;
        }

        public ReaderRegistry build() {
            if (byExtension.isEmpty()) {
                throw new ValidationException("readers", "none", "at least one reader must be registered (try withBuiltIns())");
            }
            return new ReaderRegistry(byExtension);
        }
    }
}
