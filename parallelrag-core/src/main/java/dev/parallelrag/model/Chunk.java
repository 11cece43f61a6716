package dev.parallelrag.model;

import java.util.Map;

/**
 * One contiguous slice of a {@link Document}.
 *
 * <p>Invariant: {@code document.text().substring(start, end).equals(text)}. Offsets are UTF-16
 * indices, as everywhere in the Java API; the CLI converts them to code points for JSON output.
 *
 * @param documentId the id of the document this chunk was cut from
 * @param index      0-based position of the chunk within its document
 * @param start      inclusive UTF-16 start offset into the document text
 * @param end        exclusive UTF-16 end offset into the document text
 * @param text       the chunk text, equal to the slice at its offsets
 * @param metadata   the document's metadata
 */
public record Chunk(String documentId, int index, int start, int end, String text, Map<String, String> metadata) {

    public Chunk {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid chunk offsets [" + start + ", " + end + ")");
        }
        if (text == null || text.length() != end - start) {
            throw new IllegalArgumentException("chunk text length does not match offsets [" + start + ", " + end + ")");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
