package dev.parallelrag.pipeline;

/**
 * A numbered source of an {@link Answer}.
 *
 * @param number    the number the answer text cites it by ({@code [1]})
 * @param source    the path as ingested
 * @param chunkId   the chunk the text came from
 * @param start     inclusive UTF-16 offset into the source document's text
 * @param end       exclusive UTF-16 offset
 * @param cpStart   inclusive code-point offset (for JSON consumers in other languages)
 * @param cpEnd     exclusive code-point offset
 * @param lineStart first line (1-based) of the cited text
 * @param lineEnd   last line (1-based) of the cited text
 * @param score     retrieval score (hybrid: fused rank score) or, for extractive sentences, cosine similarity
 * @param text      the cited text (the chunk, or the extracted sentence)
 */
public record Citation(int number, String source, String chunkId, int start, int end, int cpStart, int cpEnd,
                       int lineStart, int lineEnd, double score, String text) {
}
