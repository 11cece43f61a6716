package dev.parallelrag.split;

/**
 * A chunk of a streamed input, with offsets into the whole input (which may exceed {@code int} range).
 *
 * @param sourceId       the input's name (a path, or {@code -} for standard input)
 * @param index          0-based position of the chunk within its input
 * @param start          inclusive UTF-16 offset into the input's text
 * @param end            exclusive UTF-16 offset into the input's text
 * @param codePointStart inclusive offset in Unicode code points (what the CLI's JSON reports)
 * @param codePointEnd   exclusive offset in Unicode code points
 * @param text           the chunk text, the slice of the input at these offsets
 */
public record StreamedChunk(String sourceId, long index, long start, long end,
                            long codePointStart, long codePointEnd, String text) {
}
