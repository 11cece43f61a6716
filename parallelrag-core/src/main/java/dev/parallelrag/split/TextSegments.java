package dev.parallelrag.split;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads a text in segments of at most {@code limit} UTF-16 units, each cut at a safe boundary, so a
 * text larger than memory can be split piece by piece. A segment ends just after the last
 * {@code "\n\n"} in the second half of the window; failing that, after the last {@code "\n"}; then after
 * the last whitespace character; and only for a window without any whitespace in its second half, at the
 * window's end (moved back one unit rather than splitting a surrogate pair). A text of at most
 * {@code limit} units is one segment, the whole text.
 *
 * <p>The buffer grows only as far as the text needs, so many small inputs stay cheap. Not thread-safe.
 */
final class TextSegments {

    /** One segment: its text and where it starts in the whole input, in UTF-16 units and code points. */
    record Segment(String text, long charBase, long codePointBase) {
    }

    private static final int INITIAL_BUFFER = 64 * 1024;

    private final Reader reader;
    private final int limit;
    private char[] buf;
    private int length;
    private boolean endOfInput;
    private long charBase;
    private long codePointBase;

    TextSegments(Reader reader, int limit) {
        this.reader = reader;
        this.limit = limit;
        this.buf = new char[Math.min(INITIAL_BUFFER, limit + 1)];
    }

    /** The next segment, or {@code null} at the end of the text. */
    Segment next() throws IOException {
        fill();
        if (length == 0) {
            return null;
        }
        // one unit past the limit tells a text of exactly `limit` units from a longer one
        int cut = length <= limit ? length : findCut();
        String text = new String(buf, 0, cut);
        System.arraycopy(buf, cut, buf, 0, length - cut);
        length -= cut;
        Segment segment = new Segment(text, charBase, codePointBase);
        charBase += cut;
        codePointBase += CodePointCursor.count(text);
        return segment;
    }

    /** Reads until the buffer holds {@code limit + 1} units or the input ends. */
    private void fill() throws IOException {
        int wanted = limit + 1;
        while (!endOfInput && length < wanted) {
            if (length == buf.length) {
                char[] bigger = new char[(int) Math.min(wanted, 2L * buf.length)];
                System.arraycopy(buf, 0, bigger, 0, length);
                buf = bigger;
            }
            int n = reader.read(buf, length, buf.length - length);
            if (n < 0) {
                endOfInput = true;
            } else {
                length += n;
            }
        }
    }

    private int findCut() {
        int floor = limit / 2; // never cut in the first half: segments stay large
        for (int i = limit - 1; i > floor; i--) {
            if (buf[i] == '\n' && buf[i - 1] == '\n') {
                return i + 1;
            }
        }
        for (int i = limit - 1; i >= floor; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        for (int i = limit - 1; i >= floor; i--) {
            if (Slices.isWhitespace(buf[i])) { // all whitespace is in the BMP: never half a pair
                return i + 1;
            }
        }
        boolean splitsPair = Character.isHighSurrogate(buf[limit - 1]) && Character.isLowSurrogate(buf[limit]);
        return splitsPair ? limit - 1 : limit;
    }
}
