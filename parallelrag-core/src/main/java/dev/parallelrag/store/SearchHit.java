package dev.parallelrag.store;

import java.util.Map;

/**
 * One search result: the stored fields of a chunk (without its vector) and a score.
 *
 * <p>Scores are "higher is better" and comparable only within one result list: cosine similarity
 * for vector search, BM25 for keyword search, and the reciprocal-rank-fusion sum for hybrid search.
 *
 * @param chunkId     the chunk id
 * @param score       relevance score, higher is better
 * @param documentId  the chunk's document id
 * @param source      the chunk's source (path as ingested)
 * @param start       inclusive start offset
 * @param end         exclusive end offset
 * @param text        the chunk text
 * @param contentHash the chunk's content hash
 * @param modelId     the model that embedded the chunk
 * @param metadata    the chunk's metadata
 */
public record SearchHit(
        String chunkId,
        double score,
        String documentId,
        String source,
        int start,
        int end,
        String text,
        String contentHash,
        String modelId,
        Map<String, String> metadata) {

    public SearchHit {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The hit for a stored chunk with the given score. */
    public static SearchHit of(StoredChunk chunk, double score) {
        return new SearchHit(chunk.id(), score, chunk.documentId(), chunk.source(), chunk.start(), chunk.end(),
                chunk.text(), chunk.contentHash(), chunk.modelId(), chunk.metadata());
    }

    /** The same hit with another score (used when fusing result lists). */
    public SearchHit withScore(double newScore) {
        return new SearchHit(chunkId, newScore, documentId, source, start, end, text, contentHash, modelId, metadata);
    }
}
