package dev.parallelrag.split;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into windows of BPE tokens, as LangChain's {@code TokenTextSplitter} does: the text is
 * encoded once with a jtokkit encoding, and window {@code k} holds tokens
 * {@code [k * step, k * step + chunkSize)} with {@code step = chunkSize - chunkOverlap}; the last window
 * ends at the last token.
 *
 * <p><b>Exact slices.</b> LangChain decodes each window's tokens, which can produce broken characters
 * where a window edge falls inside a multi-byte character (emoji and many CJK characters span several
 * tokens). Here each window is the slice of the source between its edge offsets, and an edge inside a
 * character moves to the nearest character boundary (the later one on a tie). So every chunk is
 * exactly {@code text.substring(start, end)}; a chunk can hold up to one partial token more or less at
 * each edge than its window. Because the move depends only on the token boundary, neighbouring chunks
 * still meet or overlap exactly as their windows do and no character is lost.
 *
 * <p><b>Size.</b> Each chunk is a window of at most {@code chunkSize} tokens of the whole document's
 * tokenization, plus, where an edge moved outward, the other tokens of the character the edge fell in: a
 * character is the piece that cannot be split. Re-encoding a chunk on its own can give a slightly
 * different count, because BPE merges depend on neighbouring text.
 *
 * <p><b>Order.</b> Chunk ends always increase and starts never decrease. A window that adds no text past
 * the previous chunk (it lies inside one character, or inside the previous chunk after edges moved) is
 * dropped, as is a window of only whitespace. Two chunks can start at the same offset when a start edge
 * moved back to the start of a character that the previous window also began in. With {@code stripWhitespace} (off by default, as in LangChain) chunks are also
 * trimmed of surrounding whitespace, and their offsets shrink with them.
 *
 * <p>Defaults: encoding {@code cl100k_base}, chunk size 4000, overlap 200 (LangChain's defaults); an
 * overlap not given is {@link ChunkOverlap#defaultFor a fifth of the chunk size, at most 200}.
 * Immutable and thread-safe.
 */
public final class TokenSplitter implements TextSplitter {

    public static final String DEFAULT_ENCODING = "cl100k_base";
    public static final int DEFAULT_CHUNK_SIZE = 4000;
    /** The overlap at the default size: {@link ChunkOverlap#defaultFor(int)} of it. */
    public static final int DEFAULT_CHUNK_OVERLAP = 200;

    private final Encoding encoding;
    private final int chunkSize;
    private final int chunkOverlap;
    private final boolean stripWhitespace;

    private TokenSplitter(Builder b) {
        this.encoding = LengthFunction.TokenEncodings.get(b.encoding);
        this.chunkSize = b.chunkSize;
        this.chunkOverlap = b.overlap();
        this.stripWhitespace = b.stripWhitespace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A splitter with the default encoding and the given window size and overlap, in tokens. */
    public static TokenSplitter of(int chunkSize, int chunkOverlap) {
        return builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
    }

    public String encodingName() {
        return encoding.getName();
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunkOverlap() {
        return chunkOverlap;
    }

    public boolean stripWhitespace() {
        return stripWhitespace;
    }

    @Override
    public List<Chunk> split(Document document) {
        String text = document.text();
        List<Chunk> chunks = new ArrayList<>();
        if (text.isBlank()) {
            return chunks;
        }
        String tokenizable = WellFormedText.of(text); // same length; lone surrogates become U+FFFD
        IntArrayList tokens = encoding.encodeOrdinary(tokenizable);
        int[] offsets = TokenBoundaries.charOffsets(encoding, tokenizable, tokens);
        int n = tokens.size();
        int step = chunkSize - chunkOverlap;
        int lastEnd = -1;
        for (int first = 0; first < n; first += step) {
            int last = Math.min(first + chunkSize, n);
            int start = offsets[first];
            int end = offsets[last];
            if (stripWhitespace) {
                start = Slices.skipWhitespaceForward(text, start, end);
                end = Slices.skipWhitespaceBackward(text, start, end);
            }
            // a window adds text only if it reaches past the previous chunk; one that lies inside a
            // character or inside the previous chunk (possible when edges moved) would only repeat text
            if (end > lastEnd && start < end && !Slices.isBlank(text, start, end)) {
                lastEnd = end;
                chunks.add(new Chunk(document.id(), chunks.size(), start, end, text.substring(start, end), document.metadata()));
            }
            if (last == n) {
                break;
            }
        }
        return chunks;
    }

    @Override
    public String toString() {
        return "TokenSplitter[encoding=" + encoding.getName() + ", chunkSize=" + chunkSize
                + ", chunkOverlap=" + chunkOverlap + ", stripWhitespace=" + stripWhitespace + "]";
    }

    /** Validating builder; {@link #build()} checks every value. */
    public static final class Builder {
        private String encoding = DEFAULT_ENCODING;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Integer chunkOverlap; // null: ChunkOverlap.defaultFor(chunkSize)
        private boolean stripWhitespace;

        private Builder() {
        }

        /** One of {@code cl100k_base} (default), {@code o200k_base}, {@code p50k_base}, {@code r50k_base}. */
        public Builder encoding(String encoding) {
            this.encoding = encoding;
            return this;
        }

        /** Window size in tokens, at least 1. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Tokens shared by neighbouring windows: {@code 0 <= chunkOverlap < chunkSize}. */
        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** Trim each chunk of surrounding whitespace (default false, as LangChain). */
        public Builder stripWhitespace(boolean stripWhitespace) {
            this.stripWhitespace = stripWhitespace;
            return this;
        }

        /** The overlap given, or the default rule's for the chunk size. */
        private int overlap() {
            return chunkOverlap != null ? chunkOverlap : ChunkOverlap.defaultFor(chunkSize);
        }

        public TokenSplitter build() {
            Slices.checkSizes(chunkSize, overlap());
            return new TokenSplitter(this);
        }
    }
}
