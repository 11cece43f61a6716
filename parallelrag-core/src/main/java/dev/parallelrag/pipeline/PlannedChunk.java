package dev.parallelrag.pipeline;

import dev.parallelrag.store.StoredChunk;
import java.util.Map;

/**
 * A chunk with its id and stored fields, waiting for its vector.
 *
 * @param needsEmbedding false when the store already holds this id for the current model
 */
record PlannedChunk(String id, String documentId, int start, int end, String text, String contentHash,
                    Map<String, String> metadata, boolean needsEmbedding) {

    StoredChunk withVector(float[] vector, String modelId) {
        return new StoredChunk(id, documentId, documentId, start, end, text, contentHash, modelId, metadata, vector);
    }

    /** Rough token count for batching: about one token per 4 UTF-16 units of English text, at least 1. */
    int estimatedTokens() {
        return Math.max(1, text.length() / 3);
    }
}
