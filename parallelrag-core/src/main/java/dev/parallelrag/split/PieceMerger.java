package dev.parallelrag.split;

/**
 * LangChain's {@code TextSplitter._merge_splits}, on offsets: consecutive pieces are packed into chunks
 * of at most {@code chunkSize}, a piece longer than that passes through alone, and each new chunk
 * starts with the trailing whole pieces of the previous one whose total is at most {@code chunkOverlap}.
 *
 * <p>LangChain joins the pieces of a chunk with the separator and counts its length once per join.
 * Here a chunk is the source slice from its first piece to its last, so the join is the source text
 * between two pieces (the "gap") and is counted at its own length. The two agree whenever exactly one
 * separator lies between the pieces, which is every case where LangChain's chunk is a slice of its
 * input; they differ only where LangChain's output is not a slice (see {@code docs/splitters.md}).
 *
 * <p>With {@code strip}, chunks are trimmed of whitespace as Python's {@code str.strip()} trims, and a
 * chunk that is then empty is dropped. Lengths are measured before trimming, as in LangChain.
 */
final class PieceMerger {

    private final int chunkSize;
    private final int chunkOverlap;
    private final boolean strip;

    PieceMerger(int chunkSize, int chunkOverlap, boolean strip) {
        this.chunkSize = chunkSize;
        this.chunkOverlap = chunkOverlap;
        this.strip = strip;
    }

    /**
     * Merges pieces {@code [from, to)} of {@code pieces}, whose lengths are {@code lengths[i]}, and adds
     * the chunks to {@code out}.
     */
    void merge(String text, SpanList pieces, int[] lengths, int from, int to, Measure measure, SpanList out) {
        // the current chunk is pieces [first, i); its length is total, gaps included
        int first = from;
        long total = 0;
        for (int i = from; i < to; i++) {
            int length = lengths[i];
            // the join to the previous piece counts only while the chunk has pieces (LangChain's
            // "separator_len if len(current_doc) > 0")
            int join = i > from ? gap(pieces, measure, i) : 0;
            if (total + length + (i > first ? join : 0) > chunkSize) {
                if (i > first) {
                    emit(text, pieces.start(first), pieces.end(i - 1), out);
                    while (total > chunkOverlap || (total + length + (i > first ? join : 0) > chunkSize && total > 0)) {
                        total -= lengths[first] + (i - first > 1 ? gap(pieces, measure, first + 1) : 0);
                        first++;
                    }
                }
            }
            total += length + (i > first ? join : 0);
        }
        if (to > first) {
            emit(text, pieces.start(first), pieces.end(to - 1), out);
        }
    }

    /** Length of the source text between piece {@code i - 1} and piece {@code i}. */
    private static int gap(SpanList pieces, Measure measure, int i) {
        return measure.length(pieces.end(i - 1), pieces.start(i));
    }

    /** Adds a chunk, trimmed if configured; drops it when nothing is left (LangChain's {@code _join_docs}). */
    void emit(String text, int start, int end, SpanList out) {
        if (strip) {
            start = Slices.skipWhitespaceForward(text, start, end);
            end = Slices.skipWhitespaceBackward(text, start, end);
        }
        out.addNonEmpty(start, end);
    }
}
