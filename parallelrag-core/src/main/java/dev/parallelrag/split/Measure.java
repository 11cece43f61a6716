package dev.parallelrag.split;

/**
 * A {@link LengthFunction} applied to slices of one text without copying them when it can: code points
 * of a slice are its UTF-16 length when the text has no surrogates (checked once per text), so the
 * common case costs nothing per piece. Token lengths need the slice as a string.
 */
final class Measure {

    private final LengthFunction function;
    private final String text;
    private final boolean codePoints;
    private final boolean noSurrogates;

    Measure(LengthFunction function, String text, int from, int to) {
        this.function = function;
        this.text = text;
        this.codePoints = function instanceof LengthFunction.CodePoints;
        this.noSurrogates = codePoints && !hasSurrogate(text, from, to);
    }

    int length(int start, int end) {
        if (start == end) {
            return 0;
        }
        if (codePoints) {
            return noSurrogates ? end - start : Character.codePointCount(text, start, end);
        }
        return function.length(text.substring(start, end));
    }

    /** Fills {@code lengths[i]} with the length of piece {@code i}; a subtraction per piece in the common case. */
    void lengths(SpanList pieces, int[] lengths) {
        int n = pieces.size();
        if (codePoints && noSurrogates) {
            for (int i = 0; i < n; i++) {
                lengths[i] = pieces.end(i) - pieces.start(i);
            }
        } else {
            for (int i = 0; i < n; i++) {
                lengths[i] = length(pieces.start(i), pieces.end(i));
            }
        }
    }

    /**
     * Whether a code point in {@code [from, to)} takes two chars. {@link String#codePointCount} answers
     * in O(1) for strings the JDK stores as Latin-1 (most English text) and scans the others once.
     */
    static boolean hasSurrogate(String text, int from, int to) {
        return text.codePointCount(from, to) != to - from;
    }
}
