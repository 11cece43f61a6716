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

    private static boolean hasSurrogate(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
