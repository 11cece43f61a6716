package dev.parallelrag.read;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Document;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Plain text files, decoded as strict UTF-8 (invalid bytes are an error with their offset, NUL bytes
 * mean binary). The document text is the file's text exactly, so chunk offsets map back to the file.
 */
public class PlainTextReader implements DocumentReader {

    private static final Set<String> EXTENSIONS = Set.of("txt", "text", "log", "rst", "adoc", "asciidoc", "org");

    private final long maxBytes;

    public PlainTextReader() {
        this(SourceFiles.DEFAULT_MAX_BYTES);
    }

    /** @param maxBytes largest file accepted, at least 1 */
    public PlainTextReader(long maxBytes) {
        if (maxBytes < 1) {
            throw new ValidationException("maxBytes", maxBytes, "must be at least 1");
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public Set<String> extensions() {
        return EXTENSIONS;
    }

    @Override
    public Document read(Path path, String documentId) {
        String text = SourceFiles.readUtf8(path, maxBytes);
        return new Document(documentId, text, metadata(text));
    }

    /** The text is the file's text exactly; a subclass that changes it must return false. */
    @Override
    public boolean keepsTextAsWritten() {
        return true;
    }

    /** Metadata recorded for every document this reader produces. */
    protected Map<String, String> metadata(String text) {
        return Map.of("format", name());
    }

    protected long maxBytes() {
        return maxBytes;
    }
}
