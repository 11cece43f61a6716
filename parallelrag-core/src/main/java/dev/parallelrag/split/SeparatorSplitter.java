package dev.parallelrag.split;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.List;
import java.util.Objects;

/**
 * Splits on one separator and packs the pieces into chunks: output-compatible with LangChain's
 * {@code CharacterTextSplitter} (langchain-text-splitters 1.1.2).
 *
 * <p>The text is split on every occurrence of {@code separator} (a literal, or a regular expression
 * with {@code separatorRegex}); {@code keepSeparator} decides whether the separator is dropped or
 * attached to the start or end of a piece. Pieces are then merged as LangChain does: consecutive
 * pieces up to {@code chunkSize}, overlap made of whole trailing pieces up to {@code chunkOverlap},
 * and chunks trimmed of whitespace when {@code stripWhitespace} is on.
 *
 * <p><b>Unit.</b> {@code chunkSize} and {@code chunkOverlap} are measured by the {@link LengthFunction}:
 * Unicode code points by default, or tokens.
 *
 * <p><b>Oversize chunks.</b> A single piece longer than {@code chunkSize} (text with no separator in
 * it) becomes one chunk of its own, longer than {@code chunkSize}, exactly as in LangChain. Every chunk
 * of two or more pieces fits in {@code chunkSize}.
 *
 * <p><b>Differences from LangChain</b>, both because a chunk here is always an exact slice of the text:
 * <ul>
 *   <li>With a regex that consumes text (for example {@code \s+}) and {@link KeepSeparator#NONE},
 *       LangChain joins pieces with the raw pattern ({@code "a\\s+b"}); we keep the text the pattern
 *       matched ({@code "a  b"}), and count its real length.</li>
 *   <li>With {@link KeepSeparator#NONE} and several separators in a row (empty pieces between them),
 *       LangChain joins the surviving pieces with one separator; we keep the source text between them,
 *       all separators included, and count its real length. Chunk boundaries can differ slightly in
 *       such text.</li>
 * </ul>
 *
 * <p>Defaults (LangChain's): separator {@code "\n\n"}, literal, {@link KeepSeparator#NONE},
 * stripWhitespace on, chunkSize 4000, chunkOverlap 200. An overlap not given is
 * {@link ChunkOverlap#defaultFor a fifth of chunkSize, at most 200}, which is LangChain's 200 at 4000. Immutable and thread-safe.
 */
public final class SeparatorSplitter implements TextSplitter {

    public static final String DEFAULT_SEPARATOR = "\n\n";
    public static final int DEFAULT_CHUNK_SIZE = 4000;
    /** The overlap at the default size: {@link ChunkOverlap#defaultFor(int)} of it. */
    public static final int DEFAULT_CHUNK_OVERLAP = 200;

    private final Separator separator;
    private final boolean separatorRegex;
    private final KeepSeparator keepSeparator;
    private final boolean stripWhitespace;
    private final int chunkSize;
    private final int chunkOverlap;
    private final LengthFunction lengthFunction;
    private final PieceMerger merger;

    private SeparatorSplitter(Builder b, Separator separator) {
        this.separator = separator;
        this.separatorRegex = b.separatorRegex;
        this.keepSeparator = b.keepSeparator;
        this.stripWhitespace = b.stripWhitespace;
        this.chunkSize = b.chunkSize;
        this.chunkOverlap = b.overlap();
        this.lengthFunction = b.lengthFunction;
        this.merger = new PieceMerger(chunkSize, chunkOverlap, stripWhitespace);
    }

    public static Builder builder() {
        return new Builder();
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
        SpanList out = new SpanList(16);
        int n = text.length();
        if (Slices.isBlank(text, 0, n)) {
            return out;
        }
        SpanList pieces = new SpanList(64);
        separator.split(text, 0, n, keepSeparator, pieces);
        Measure measure = new Measure(lengthFunction, text, 0, n);
        int[] lengths = new int[pieces.size()];
        measure.lengths(pieces, lengths);
        merger.merge(text, pieces, lengths, 0, pieces.size(), measure, out);
        return out;
    }

    public String separator() {
        return separator.source();
    }

    public boolean separatorRegex() {
        return separatorRegex;
    }

    public KeepSeparator keepSeparator() {
        return keepSeparator;
    }

    public boolean stripWhitespace() {
        return stripWhitespace;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunkOverlap() {
        return chunkOverlap;
    }

    public LengthFunction lengthFunction() {
        return lengthFunction;
    }

    @Override
    public String toString() {
        return "SeparatorSplitter[separator=" + Splitters.quote(separator.source()) + ", regex=" + separatorRegex
                + ", keepSeparator=" + keepSeparator + ", stripWhitespace=" + stripWhitespace
                + ", chunkSize=" + chunkSize + ", chunkOverlap=" + chunkOverlap + ", length=" + lengthFunction.unit() + "]";
    }

    /** Validating builder; {@link #build()} checks every value. */
    public static final class Builder {
        private String separator = DEFAULT_SEPARATOR;
        private boolean separatorRegex;
        private KeepSeparator keepSeparator = KeepSeparator.NONE;
        private boolean stripWhitespace = true;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Integer chunkOverlap; // null: ChunkOverlap.defaultFor(chunkSize)
        private LengthFunction lengthFunction = LengthFunction.codePoints();

        private Builder() {
        }

        /** The separator, default {@code "\n\n"}; {@code ""} splits between code points. */
        public Builder separator(String separator) {
            this.separator = separator;
            return this;
        }

        /** Treat the separator as a regular expression (java.util.regex syntax), default false. */
        public Builder separatorRegex(boolean separatorRegex) {
            this.separatorRegex = separatorRegex;
            return this;
        }

        /** What happens to separator text, default {@link KeepSeparator#NONE} (LangChain's default here). */
        public Builder keepSeparator(KeepSeparator keepSeparator) {
            this.keepSeparator = keepSeparator;
            return this;
        }

        /** Trim each chunk of surrounding whitespace, default true. */
        public Builder stripWhitespace(boolean stripWhitespace) {
            this.stripWhitespace = stripWhitespace;
            return this;
        }

        /** Largest chunk of two or more pieces, in the length function's unit; at least 1. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Largest overlap between neighbouring chunks, made of whole pieces: {@code 0 <= chunkOverlap <= chunkSize}. */
        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** How sizes are measured, default {@link LengthFunction#codePoints()}. */
        public Builder lengthFunction(LengthFunction lengthFunction) {
            this.lengthFunction = lengthFunction;
            return this;
        }

        /** The overlap given, or the default rule's for the chunk size. */
        private int overlap() {
            return chunkOverlap != null ? chunkOverlap : ChunkOverlap.defaultFor(chunkSize);
        }

        public SeparatorSplitter build() {
            MergeSizes.check(chunkSize, overlap());
            if (keepSeparator == null) {
                throw new ValidationException("keepSeparator", null, "must be one of none, start, end");
            }
            if (lengthFunction == null) {
                throw new ValidationException("lengthFunction", null, "must be set (code points or tokens)");
            }
            return new SeparatorSplitter(this, Separator.of("separator", separator, separatorRegex));
        }
    }
}
