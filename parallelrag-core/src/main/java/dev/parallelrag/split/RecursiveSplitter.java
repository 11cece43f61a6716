package dev.parallelrag.split;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits on the most significant separator that occurs, recursing into pieces that are still too
 * long: output-compatible with LangChain's {@code RecursiveCharacterTextSplitter}
 * (langchain-text-splitters 1.1.2).
 *
 * <p>For a text, the first separator in {@code separators} that occurs in it is chosen ({@code ""}
 * always matches). The text is split on it; pieces shorter than {@code chunkSize} are merged as
 * LangChain merges (whole-piece overlap up to {@code chunkOverlap}, whitespace trimmed when
 * {@code stripWhitespace}); a piece of {@code chunkSize} or more is split again with the separators
 * after the chosen one. Everything works on offsets, so each chunk is an exact slice of the text.
 *
 * <p><b>Unit.</b> Sizes are measured by the {@link LengthFunction}: code points by default, or
 * {@link LengthFunction#tokens(String) tokens} of an encoding, as LangChain's
 * {@code from_tiktoken_encoder} (a chunk's length is the sum of its pieces' lengths, as there).
 *
 * <p><b>Oversize chunks.</b> A piece that is still too long when no separator is left passes through
 * whole, as in LangChain. With the default separators the last one is {@code ""}, so the only such
 * piece is a single code point: in code points no chunk is ever longer than {@code chunkSize}; in
 * tokens, a single code point that encodes to more tokens than {@code chunkSize} is one chunk. With a
 * custom list that does not end in {@code ""}, a piece without any of the separators can be longer.
 *
 * <p><b>Differences from LangChain</b>, all because a chunk here is always an exact slice of the text:
 * <ul>
 *   <li>With a regex separator that consumes text and {@link KeepSeparator#NONE}, LangChain joins pieces
 *       with the raw pattern; we keep the text the pattern matched.</li>
 *   <li>With {@link KeepSeparator#NONE} and several separators in a row, LangChain joins the pieces with
 *       one separator; we keep the source text between them and count its real length.</li>
 *   <li>LangChain passes a too-long piece through unstripped even when {@code stripWhitespace} is on;
 *       if such a piece is only whitespace (for example a tab with {@code chunkSize} 1) we drop it
 *       instead of emitting a blank chunk. Non-blank pieces are kept exactly as LangChain keeps them.</li>
 * </ul>
 *
 * <p>Defaults (LangChain's): separators {@code ["\n\n", "\n", " ", ""]}, literal,
 * {@link KeepSeparator#START}, stripWhitespace on, chunkSize 4000, chunkOverlap 200, code points. An overlap not
 * given is {@link ChunkOverlap#defaultFor a fifth of chunkSize, at most 200}, which is LangChain's 200 at 4000.
 * Immutable and thread-safe.
 */
public final class RecursiveSplitter implements TextSplitter {

    public static final List<String> DEFAULT_SEPARATORS = List.of("\n\n", "\n", " ", "");
    public static final int DEFAULT_CHUNK_SIZE = 4000;
    /** The overlap at the default size: {@link ChunkOverlap#defaultFor(int)} of it. */
    public static final int DEFAULT_CHUNK_OVERLAP = 200;

    private final List<String> separatorSources;
    private final Separator[] separators;
    private final boolean separatorRegex;
    private final KeepSeparator keepSeparator;
    private final boolean stripWhitespace;
    private final int chunkSize;
    private final int chunkOverlap;
    private final LengthFunction lengthFunction;
    private final PieceMerger merger;

    private RecursiveSplitter(Builder b, List<String> separatorSources, Separator[] separators) {
        this.separatorSources = separatorSources;
        this.separators = separators;
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

    /** Default separators, code points, the given size and overlap. */
    public static RecursiveSplitter of(int chunkSize, int chunkOverlap) {
        return builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
    }

    /** A builder preset with a language's separators (as regular expressions), like LangChain's {@code from_language}. */
    public static Builder forLanguage(Language language) {
        if (language == null) {
            throw new ValidationException("language", null, "must be one of MARKDOWN, JAVA, PYTHON");
        }
        return builder().separators(language.separators()).separatorRegex(true);
    }

    @Override
    public List<Chunk> split(Document document) {
        String text = document.text();
        return splitRange(text, 0, text.length()).toChunks(document);
    }

    /** The chunk offsets (UTF-16) this splitter cuts from {@code text}. */
    public List<TextSpan> spans(String text) {
        Objects.requireNonNull(text, "text");
        return splitRange(text, 0, text.length()).toSpans();
    }

    /**
     * The chunk offsets this splitter cuts from {@code text[from, to)}, as if that slice were the whole
     * text; offsets are into {@code text}. For composing splitters (a sentence too long for a chunk).
     */
    public List<TextSpan> spans(String text, int from, int to) {
        Objects.checkFromToIndex(from, to, Objects.requireNonNull(text, "text").length());
        return splitRange(text, from, to).toSpans();
    }

    private SpanList splitRange(String text, int from, int to) {
        SpanList out = new SpanList(16);
        if (Slices.isBlank(text, from, to)) {
            return out;
        }
        split(text, from, to, 0, new Scratch(lengthFunction, text, from, to, separators.length), out);
        return out;
    }

    /**
     * Per-call working memory: the pieces and their lengths at each recursion depth, reused by sibling
     * pieces (depth d is kept while depth d + 1 works), so a split allocates a handful of arrays.
     */
    private static final class Scratch {
        final Measure measure;
        final SpanList[] pieces;
        final int[][] lengths;

        Scratch(LengthFunction lengthFunction, String text, int from, int to, int depths) {
            measure = new Measure(lengthFunction, text, from, to);
            pieces = new SpanList[depths];
            lengths = new int[depths][];
        }

        SpanList pieces(int depth) {
            SpanList list = pieces[depth];
            if (list == null) {
                list = pieces[depth] = new SpanList(256);
            }
            list.clear();
            return list;
        }

        int[] lengths(int depth, int size) {
            int[] array = lengths[depth];
            if (array == null || array.length < size) {
                array = lengths[depth] = new int[Math.max(size, 256)];
            }
            return array;
        }
    }

    /** LangChain's {@code _split_text} on {@code text[from, to)} with {@code separators[first..]}. */
    private void split(String text, int from, int to, int first, Scratch scratch, SpanList out) {
        int last = separators.length - 1;
        int chosen = last;
        boolean deeper = false; // LangChain's "new_separators" is non-empty
        for (int i = first; i <= last; i++) {
            if (separators[i] instanceof Separator.EachCodePoint) {
                chosen = i;
                break;
            }
            if (separators[i].occursIn(text, from, to)) {
                chosen = i;
                deeper = i < last;
                break;
            }
        }
        SpanList pieces = scratch.pieces(chosen);
        separators[chosen].split(text, from, to, keepSeparator, pieces);
        int n = pieces.size();
        int[] lengths = scratch.lengths(chosen, n);
        Measure measure = scratch.measure;
        measure.lengths(pieces, lengths);
        int run = -1; // first piece of the current run of short pieces
        for (int i = 0; i < n; i++) {
            if (lengths[i] < chunkSize) {
                if (run < 0) {
                    run = i;
                }
                continue;
            }
            if (run >= 0) {
                merger.merge(text, pieces, lengths, run, i, measure, out);
                run = -1;
            }
            if (deeper) {
                split(text, pieces.start(i), pieces.end(i), chosen + 1, scratch, out);
            } else if (!stripWhitespace || !Slices.isBlank(text, pieces.start(i), pieces.end(i))) {
                out.add(pieces.start(i), pieces.end(i)); // passes through unstripped, as in LangChain
            }
        }
        if (run >= 0) {
            merger.merge(text, pieces, lengths, run, n, measure, out);
        }
    }

    public List<String> separators() {
        return separatorSources;
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
        List<String> quoted = new ArrayList<>();
        separatorSources.forEach(s -> quoted.add(Splitters.quote(s)));
        return "RecursiveSplitter[separators=" + quoted + ", regex=" + separatorRegex + ", keepSeparator=" + keepSeparator
                + ", stripWhitespace=" + stripWhitespace + ", chunkSize=" + chunkSize + ", chunkOverlap=" + chunkOverlap
                + ", length=" + lengthFunction.unit() + "]";
    }

    /** Validating builder; {@link #build()} checks every value. */
    public static final class Builder {
        private List<String> separators = DEFAULT_SEPARATORS;
        private boolean separatorRegex;
        private KeepSeparator keepSeparator = KeepSeparator.START;
        private boolean stripWhitespace = true;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Integer chunkOverlap; // null: ChunkOverlap.defaultFor(chunkSize)
        private LengthFunction lengthFunction = LengthFunction.codePoints();

        private Builder() {
        }

        /** Separators, most significant first; default {@code ["\n\n", "\n", " ", ""]}. */
        public Builder separators(List<String> separators) {
            this.separators = separators;
            return this;
        }

        /** Treat every separator as a regular expression (java.util.regex syntax), default false. */
        public Builder separatorRegex(boolean separatorRegex) {
            this.separatorRegex = separatorRegex;
            return this;
        }

        /** What happens to separator text, default {@link KeepSeparator#START} (LangChain's default here). */
        public Builder keepSeparator(KeepSeparator keepSeparator) {
            this.keepSeparator = keepSeparator;
            return this;
        }

        /** Trim each merged chunk of surrounding whitespace, default true. */
        public Builder stripWhitespace(boolean stripWhitespace) {
            this.stripWhitespace = stripWhitespace;
            return this;
        }

        /** Largest chunk, in the length function's unit; at least 1. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Largest overlap between neighbouring chunks, made of whole pieces: {@code 0 <= chunkOverlap <= chunkSize}. */
        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** How sizes are measured, default code points; {@link LengthFunction#tokens(String)} for tokens. */
        public Builder lengthFunction(LengthFunction lengthFunction) {
            this.lengthFunction = lengthFunction;
            return this;
        }

        /** The overlap given, or the default rule's for the chunk size. */
        private int overlap() {
            return chunkOverlap != null ? chunkOverlap : ChunkOverlap.defaultFor(chunkSize);
        }

        public RecursiveSplitter build() {
            MergeSizes.check(chunkSize, overlap());
            if (keepSeparator == null) {
                throw new ValidationException("keepSeparator", null, "must be one of none, start, end");
            }
            if (lengthFunction == null) {
                throw new ValidationException("lengthFunction", null, "must be set (code points or tokens)");
            }
            if (separators == null || separators.isEmpty()) {
                throw new ValidationException("separators", separators == null ? null : "[]",
                        "must list at least one separator, e.g. [\"\\n\\n\", \"\\n\", \" \", \"\"]");
            }
            List<String> sources = new ArrayList<>(separators.size());
            Separator[] compiled = new Separator[separators.size()];
            for (int i = 0; i < compiled.length; i++) {
                String s = separators.get(i);
                compiled[i] = Separator.of("separators[" + i + "]", s, separatorRegex);
                sources.add(s);
            }
            return new RecursiveSplitter(this, List.copyOf(sources), compiled);
        }
    }
}
