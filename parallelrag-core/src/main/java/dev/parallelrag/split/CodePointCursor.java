package dev.parallelrag.split;

import java.util.Objects;

/**
 * Converts UTF-16 offsets of one text into Unicode code-point offsets, incrementally: the cursor walks
 * from the last offset asked to the next one, so converting the start and end of every chunk in order
 * costs time proportional to the text plus the overlap, not to chunks × text.
 *
 * <p>Each UTF-16 unit counts as one code point except the low half of a surrogate pair. So an offset
 * inside a pair (which no splitter should produce) maps to the code point after the pair, and counts
 * over adjacent ranges add up exactly. Not thread-safe: one cursor per text and thread.
 */
final class CodePointCursor {

    private final CharSequence text;
    private int utf16;
    private long codePoints;

    public CodePointCursor(CharSequence text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /** The number of code points before the given UTF-16 offset ({@code 0 <= utf16Offset <= length}). */
    public long toCodePoints(int utf16Offset) {
        Objects.checkIndex(utf16Offset, text.length() + 1);
        while (utf16 < utf16Offset) {
            if (!isLowHalfOfPair(utf16)) {
                codePoints++;
            }
            utf16++;
        }
        while (utf16 > utf16Offset) {
            utf16--;
            if (!isLowHalfOfPair(utf16)) {
                codePoints--;
            }
        }
        return codePoints;
    }

    /** Code points in the whole text, counted by the same rule as {@link #toCodePoints(int)}. */
    public static long count(CharSequence text) {
        return new CodePointCursor(text).toCodePoints(text.length());
    }

    private boolean isLowHalfOfPair(int i) {
        return i > 0 && Character.isLowSurrogate(text.charAt(i)) && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
