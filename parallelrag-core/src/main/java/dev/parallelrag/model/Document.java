package dev.parallelrag.model;

import dev.parallelrag.error.ValidationException;
import java.util.Map;

/**
 * A source text to be split, embedded and indexed.
 *
 * @param id       stable identifier, unique within a corpus (for files: the path as given)
 * @param text     the full text; offsets of chunks are UTF-16 indices into it
 * @param metadata free-form string metadata, copied onto every chunk
 */
public record Document(String id, String text, Map<String, String> metadata) {

    public Document {
        if (id == null || id.isBlank()) {
            throw new ValidationException("document.id", id, "must not be null or blank");
        }
        if (text == null) {
            throw new ValidationException("document.text", null, "must not be null (use \"\" for an empty document)");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Document(String id, String text) {
        this(id, text, Map.of());
    }
}
