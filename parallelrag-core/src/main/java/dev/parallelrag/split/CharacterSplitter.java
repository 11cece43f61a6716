package dev.parallelrag.split;

import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.List;
import java.util.Objects;

/**
 * A sliding window over code points that prefers to cut after whitespace (the original system's
 * character splitter, without its bugs). Starting at position {@code s}:
 * <ol>
 *   <li>the window is {@code [s, s + chunkSize)} code points;</li>
 *   <li>if the window does not reach the end of the text, the cut is just after the last whitespace
 *       character inside it, if there is one, otherwise at the window's end;</li>
 *   <li>the chunk {@code [s, cut)} is trimmed of whitespace and dropped if nothing is left;</li>
 *   <li>the next window starts {@code chunkOverlap} code points before the cut (counted before
 *       trimming), and always at least one code point after {@code s}.</li>
 * </ol>
 *
 * <p><b>Unit:</b> Unicode code points only (an emoji is 1; a surrogate pair is never cut). Whitespace
 * is what Python's {@code str.isspace()} accepts, which includes no-break spaces, U+2028 and U+3000.
 *
 * <p><b>Size:</b> every chunk is at most {@code chunkSize} code points; there are no oversize chunks.
 * Overlap is measured in code points, so a chunk may start inside a word. Chunks are exact slices in
 * order (starts strictly increase) and together cover every non-whitespace character.
 *
 * <p>Rule: {@code chunkSize >= 1} and {@code 0 <= chunkOverlap < chunkSize}. Defaults: chunkSize 4000,
 * chunkOverlap {@link ChunkOverlap#defaultFor a fifth of chunkSize, at most 200}. Immutable and thread-safe.
 */
public final class CharacterSplitter implements TextSplitter {

    public static final int DEFAULT_CHUNK_SIZE = 4000;
    /** The overlap at the default size: {@link ChunkOverlap#defaultFor(int)} of it. */
    public static final int DEFAULT_CHUNK_OVERLAP = 200;

    private final int chunkSize;
    private final int chunkOverlap;

    private CharacterSplitter(int chunkSize, int chunkOverlap) {
        this.chunkSize = chunkSize;
        this.chunkOverlap = chunkOverlap;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static CharacterSplitter of(int chunkSize, int chunkOverlap) {
        return builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
    }

    @Override
    public List<Chunk> split(Document document) {
        return splitSpans(document.text()).toChunks(document);
    }

    /** The chunk offsets (UTF-16) this splitter cuts from {@code text}. */
    public List<TextSpan> spans(String text) {
        return splitSpans(Objects.requireNonNull(text, "text")).toSpans();
    }

    private SpanList splitSpans(String text) {
        int n = text.length();
        SpanList out = new SpanList(Math.max(4, n / Math.max(1, chunkSize - chunkOverlap) + 1));
        if (Slices.isBlank(text, 0, n)) {
            return out;
        }
        boolean bmpOnly = !Measure.hasSurrogate(text, 0, n);
        int s = 0;
        while (true) {
            int windowEnd = bmpOnly ? (int) Math.min((long) s + chunkSize, n) : forward(text, s, chunkSize, n);
            int cut = windowEnd;
            if (windowEnd < n) {
                // every whitespace character is a single BMP char, so a char-wise scan never splits a pair
                for (int i = windowEnd - 1; i >= s; i--) {
                    if (isWhitespace(text.charAt(i))) {
                        cut = i + 1;
                        break;
                    }
                }
            }
            int start = s;
            int end = cut;
            while (start < end && isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            out.addNonEmpty(start, end);
            if (cut >= n) {
                return out;
            }
            int next = bmpOnly ? cut - chunkOverlap : backward(text, cut, chunkOverlap);
            if (next <= s) {
                next = s + (bmpOnly ? 1 : Character.charCount(text.codePointAt(s)));
            }
            s = next;
        }
    }

    /** Index {@code count} code points after {@code from}, or {@code limit}. */
    private static int forward(String text, int from, int count, int limit) {
        int i = from;
        for (int k = 0; k < count && i < limit; k++) {
            i += (Character.isHighSurrogate(text.charAt(i)) && i + 1 < limit
                    && Character.isLowSurrogate(text.charAt(i + 1))) ? 2 : 1;
        }
        return i;
    }

    /** Index {@code count} code points before {@code from}, or 0. */
    private static int backward(String text, int from, int count) {
        int i = from;
        for (int k = 0; k < count && i > 0; k++) {
            i -= (Character.isLowSurrogate(text.charAt(i - 1)) && i - 2 >= 0
                    && Character.isHighSurrogate(text.charAt(i - 2))) ? 2 : 1;
        }
        return i;
    }

    private static boolean isWhitespace(char c) {
        if (c < 0x80) {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
        }
        return Slices.isWhitespace(c);
    }


    public int chunkSize() {
        return chunkSize;
    }

    public int chunkOverlap() {
        return chunkOverlap;
    }

    @Override
    public String toString() {
        return "CharacterSplitter[chunkSize=" + chunkSize + ", chunkOverlap=" + chunkOverlap + ", unit=code points]";
    }

    /** Validating builder; {@link #build()} checks every value. */
    public static final class Builder {
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Integer chunkOverlap; // null: ChunkOverlap.defaultFor(chunkSize)

        private Builder() {
        }

        /** Window size in code points, at least 1. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Code points the next window steps back from the cut: {@code 0 <= chunkOverlap < chunkSize}. */
        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** The overlap given, or the default rule's for the chunk size. */
        private int overlap() {
            return chunkOverlap != null ? chunkOverlap : ChunkOverlap.defaultFor(chunkSize);
        }

        public CharacterSplitter build() {
            Slices.checkSizes(chunkSize, overlap());
            return new CharacterSplitter(chunkSize, overlap());
        }
    }
}
