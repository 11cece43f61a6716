package dev.parallelrag.split;

import dev.parallelrag.error.ValidationException;

/**
 * The size rules of the LangChain-compatible splitters: {@code chunkSize >= 1} and
 * {@code 0 <= chunkOverlap <= chunkSize}. LangChain itself accepts an overlap equal to the size (its
 * merge still advances one piece at a time), so we do too; the sliding-window splitters need a
 * strictly smaller overlap (see {@link Slices#checkSizes}).
 */
final class MergeSizes {

    private MergeSizes() {
    }

    static void check(int chunkSize, int chunkOverlap) {
        if (chunkSize < 1) {
            throw new ValidationException("chunkSize", chunkSize, "must be at least 1");
        }
        if (chunkOverlap < 0 || chunkOverlap > chunkSize) {
            throw new ValidationException("chunkOverlap", chunkOverlap,
                    "must be between 0 and chunkSize (" + chunkSize + ") inclusive");
        }
    }
}
