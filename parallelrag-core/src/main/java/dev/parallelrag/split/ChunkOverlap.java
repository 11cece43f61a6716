package dev.parallelrag.split;

/**
 * The one rule for a chunk overlap nobody chose: a fifth of the chunk size, at most
 * {@value #MAX_DEFAULT}. Every splitter builder, the index's splitter settings and the CLI use it.
 *
 * <p>Why: a fifth keeps a sentence cut at a chunk edge whole in one of the two chunks for the usual
 * 500-1,000 code point chunks, and the cap gives LangChain's 200 at LangChain's default size of 4,000. A
 * fixed 200 would make every chunk size of 200 or less an error.
 */
public final class ChunkOverlap {

    /** The largest default overlap, in the splitter's unit. */
    public static final int MAX_DEFAULT = 200;

    /** The default overlap is the chunk size divided by this. */
    public static final int SIZE_DIVISOR = 5;

    private ChunkOverlap() {
    }

    /** The overlap used when none is given: {@code min(200, chunkSize / 5)}, 0 for sizes below 5. */
    public static int defaultFor(int chunkSize) {
        return Math.max(0, Math.min(MAX_DEFAULT, chunkSize / SIZE_DIVISOR));
    }
}
