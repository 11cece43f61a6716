package dev.parallelrag.store;

import dev.parallelrag.error.ValidationException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One embedded chunk as a {@link VectorStore} keeps it.
 *
 * <p>{@code id} is the identity: upserting a chunk with an id the store already holds replaces it.
 * Offsets are whatever the writer chose (the ingest pipeline writes the {@code Chunk}'s UTF-16
 * offsets); the store keeps them as given. The vector is defensively copied in and out because
 * arrays are mutable; for the same reason {@code equals} compares vectors by content.
 *
 * @param id          unique chunk id (stable across runs; see the ingest pipeline)
 * @param documentId  id of the document the chunk belongs to; {@link VectorStore#deleteDocument} uses it
 * @param source      where the document came from, e.g. the path as ingested
 * @param start       inclusive start offset into the document text
 * @param end         exclusive end offset into the document text
 * @param text        the chunk text (indexed for keyword search by stores that support it)
 * @param contentHash hash of the chunk text, used to skip re-embedding unchanged chunks
 * @param modelId     id of the embedding model that produced {@code vector}
 * @param metadata    free-form metadata; keys must not start with {@code $} (reserved for
 *                    {@link MetadataFilter} field names)
 * @param vector      the embedding; finite values, not all zero
 */
public record StoredChunk(
        String id,
        String documentId,
        String source,
        int start,
        int end,
        String text,
        String contentHash,
        String modelId,
        Map<String, String> metadata,
        float[] vector) {

    public StoredChunk {
        requireText("chunk.id", id);
        requireText("chunk.documentId", documentId);
        requireText("chunk.modelId", modelId);
        source = source == null ? "" : source;
        contentHash = contentHash == null ? "" : contentHash;
        if (text == null) {
            throw new ValidationException("chunk.text", null, "must not be null (use \"\" for empty text)");
        }
        if (start < 0 || end < start) {
            throw new ValidationException("chunk.offsets", "[" + start + ", " + end + ")",
                    "must satisfy 0 <= start <= end");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        for (String key : metadata.keySet()) {
            if (key.isEmpty() || key.startsWith("$")) {
                throw new ValidationException("chunk.metadata key", key,
                        "must be non-empty and must not start with '$' (reserved for built-in fields)");
            }
        }
        Vectors.requireUsable("chunk.vector", vector);
        vector = vector.clone();
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, value, "must not be null or blank");
        }
    }

    /** A copy of the embedding. */
    @Override
    public float[] vector() {
        return vector.clone();
    }

    /** Vector dimension. */
    public int dimension() {
        return vector.length;
    }

    /** The value a {@link MetadataFilter} key resolves to: a built-in field for {@code $} keys, else metadata. */
    public String field(String key) {
        return switch (key) {
            case MetadataFilter.DOCUMENT_ID -> documentId;
            case MetadataFilter.SOURCE -> source;
            case MetadataFilter.MODEL_ID -> modelId;
            case MetadataFilter.CONTENT_HASH -> contentHash;
            default -> metadata.get(key);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredChunk c
                && start == c.start && end == c.end
                && id.equals(c.id) && documentId.equals(c.documentId) && source.equals(c.source)
                && text.equals(c.text) && contentHash.equals(c.contentHash) && modelId.equals(c.modelId)
                && metadata.equals(c.metadata) && Arrays.equals(vector, c.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, documentId, source, start, end, text, contentHash, modelId, metadata)
                * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "StoredChunk[id=" + id + ", documentId=" + documentId + ", source=" + source
                + ", start=" + start + ", end=" + end + ", modelId=" + modelId
                + ", dimension=" + vector.length + ", text=" + abbreviate(text) + "]";
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? '"' + s + '"' : '"' + s.substring(0, 57) + "...\"";
    }
}
