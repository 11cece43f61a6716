package dev.parallelrag.split;

import dev.parallelrag.error.ValidationException;

/** Small helpers on UTF-16 slices shared by the token and sentence splitters. */
final class Slices {

    private Slices() {
    }

    /** The rule every windowed splitter shares: {@code chunkSize >= 1} and {@code 0 <= chunkOverlap < chunkSize}. */
    static void checkSizes(int chunkSize, int chunkOverlap) {
        if (chunkSize < 1) {
            throw new ValidationException("chunkSize", chunkSize, "must be at least 1");
        }
        if (chunkOverlap < 0 || chunkOverlap >= chunkSize) {
            throw new ValidationException("chunkOverlap", chunkOverlap,
                    "must be at least 0 and less than chunkSize (" + chunkSize + ")");
        }
    }

    /** First index in {@code [start, end)} that is not whitespace, or {@code end}. */
    static int skipWhitespaceForward(CharSequence text, int start, int end) {
        int i = start;
        while (i < end) {
            int cp = Character.codePointAt(text, i);
            if (!isWhitespace(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** End index after trimming trailing whitespace in {@code [start, end)}. */
    static int skipWhitespaceBackward(CharSequence text, int start, int end) {
        int i = end;
        while (i > start) {
            int cp = Character.codePointBefore(text, i);
            if (!isWhitespace(cp)) {
                break;
            }
            i -= Character.charCount(cp);
        }
        return i;
    }

    static boolean isBlank(CharSequence text, int start, int end) {
        return skipWhitespaceForward(text, start, end) == end;
    }

    /**
     * Whitespace as Python's {@code str.isspace()} sees it (what LangChain strips), which also covers
     * {@link String#isBlank()}: Java whitespace plus no-break spaces and U+0085.
     */
    static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }
}
