package dev.parallelrag.split;

import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Packs whole sentences into chunks. Sentences come from ICU4J's sentence segmenter with abbreviation
 * handling (see {@link SentenceSegmenter}); each is trimmed of surrounding whitespace.
 *
 * <ul>
 *   <li>Sentences are added to a chunk while the chunk (the exact slice from its first sentence's start
 *       to its last sentence's end, whitespace between sentences included) stays within {@code chunkSize},
 *       measured by the {@link LengthFunction} (code points by default, or tokens).</li>
 *   <li>The next chunk starts with the previous chunk's trailing whole sentences whose slice is at most
 *       {@code chunkOverlap} long (possibly none), dropping them from the front if the next sentence
 *       would not fit with them. Each chunk holds at least one sentence not in the previous chunk.</li>
 *   <li>A sentence longer than {@code chunkSize} is cut by the long-sentence splitter (by default a
 *       {@link RecursiveSplitter} with the same size, overlap and length function); its pieces become
 *       chunks of their own, and no sentence overlap is carried across it.</li>
 * </ul>
 * Every chunk is an exact slice of the document without surrounding whitespace. Chunk ends always
 * increase and starts never decrease; a long-sentence piece that lies inside the previous chunk is
 * skipped because it would only repeat text. A chunk exceeds
 * {@code chunkSize} only if the long-sentence splitter cannot cut a piece smaller (e.g. a single
 * character worth more tokens than the size).
 *
 * <p>Defaults: chunk size 4000, overlap
 * {@link ChunkOverlap#defaultFor a fifth of the size, at most 200}, code points. Immutable and thread-safe.
 */
public final class SentenceSplitter implements TextSplitter {

    public static final int DEFAULT_CHUNK_SIZE = 4000;
    /** The overlap at the default size: {@link ChunkOverlap#defaultFor(int)} of it. */
    public static final int DEFAULT_CHUNK_OVERLAP = 200;

    private final int chunkSize;
    private final int chunkOverlap;
    private final LengthFunction lengthFunction;
    private final TextSplitter longSentenceSplitter;
    private final boolean defaultLongSentenceSplitter;

    private SentenceSplitter(Builder b) {
        this.defaultLongSentenceSplitter = b.longSentenceSplitter == null;
        this.chunkSize = b.chunkSize;
        this.chunkOverlap = b.overlap();
        this.lengthFunction = b.lengthFunction;
        this.longSentenceSplitter = b.longSentenceSplitter != null ? b.longSentenceSplitter
                : defaultLongSentenceSplitter(b.chunkSize, b.overlap(), b.lengthFunction);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sizes in code points. */
    public static SentenceSplitter of(int chunkSize, int chunkOverlap) {
        return builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
    }

    static TextSplitter defaultLongSentenceSplitter(int chunkSize, int chunkOverlap, LengthFunction lengthFunction) {
        return RecursiveSplitter.builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap)
                .lengthFunction(lengthFunction).build();
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunkOverlap() {
        return chunkOverlap;
    }

    /** True unless a long-sentence splitter of your own was given; only then can {@link SplitterSpec} rebuild it. */
    public boolean hasDefaultLongSentenceSplitter() {
        return defaultLongSentenceSplitter;
    }

    public LengthFunction lengthFunction() {
        return lengthFunction;
    }

    @Override
    public List<Chunk> split(Document document) {
        String text = document.text();
        List<Chunk> chunks = new ArrayList<>();
        if (text.isBlank()) {
            return chunks;
        }
        new Packer(document, SentenceSegmenter.sentences(text), chunks).run();
        return chunks;
    }

    /** The packing state for one document. */
    private final class Packer {
        private final Document document;
        private final String text;
        private final List<int[]> sentences;
        private final List<Chunk> out;
        private int first = -1;   // first sentence of the current chunk, -1 when empty
        private int last = -1;    // last sentence of the current chunk
        private boolean hasNew;   // current chunk holds a sentence not yet emitted

        Packer(Document document, List<int[]> sentences, List<Chunk> out) {
            this.document = document;
            this.text = document.text();
            this.sentences = sentences;
            this.out = out;
        }

        void run() {
            for (int i = 0; i < sentences.size(); i++) {
                int[] sentence = sentences.get(i);
                if (measure(sentence[0], sentence[1]) > chunkSize) {
                    if (hasNew) {
                        emit();
                    }
                    cutLongSentence(sentence);
                    first = -1;
                    hasNew = false;
                    continue;
                }
                if (first >= 0 && !fits(first, i)) {
                    if (hasNew) {
                        emit();
                        first = overlapStart();
                    }
                    while (first >= 0 && !fits(first, i)) {
                        first = first < last ? first + 1 : -1;
                    }
                }
                if (first < 0) {
                    first = i;
                }
                last = i;
                hasNew = true;
            }
            if (hasNew) {
                emit();
            }
        }

        private boolean fits(int from, int to) {
            return measure(sentences.get(from)[0], sentences.get(to)[1]) <= chunkSize;
        }

        /** First sentence of the trailing run of the current chunk whose slice is within the overlap, or -1. */
        private int overlapStart() {
            int end = sentences.get(last)[1];
            int j = last + 1;
            while (j - 1 >= first && measure(sentences.get(j - 1)[0], end) <= chunkOverlap) {
                j--;
            }
            return j <= last ? j : -1;
        }

        private void emit() {
            add(sentences.get(first)[0], sentences.get(last)[1]);
            hasNew = false;
        }

        private void cutLongSentence(int[] sentence) {
            String sentenceText = text.substring(sentence[0], sentence[1]);
            for (Chunk piece : longSentenceSplitter.split(new Document(document.id(), sentenceText))) {
                add(sentence[0] + piece.start(), sentence[0] + piece.end());
            }
        }

        private void add(int start, int end) {
            if (!out.isEmpty() && end <= out.getLast().end()) {
                // a long-sentence piece inside the previous chunk (LangChain-style merging can overlap a
                // piece entirely) repeats text and adds nothing: skip it
                return;
            }
            out.add(new Chunk(document.id(), out.size(), start, end, text.substring(start, end), document.metadata()));
        }

        private int measure(int start, int end) {
            if (lengthFunction instanceof LengthFunction.CodePoints) {
                return Character.codePointCount(text, start, end); // no copy for the common case
            }
            return lengthFunction.length(text.substring(start, end));
        }
    }

    @Override
    public String toString() {
        return "SentenceSplitter[chunkSize=" + chunkSize + ", chunkOverlap=" + chunkOverlap
                + ", length=" + lengthFunction.unit() + "]";
    }

    /** Validating builder; {@link #build()} checks every value. */
    public static final class Builder {
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Integer chunkOverlap; // null: ChunkOverlap.defaultFor(chunkSize)
        private LengthFunction lengthFunction = LengthFunction.codePoints();
        private TextSplitter longSentenceSplitter;

        private Builder() {
        }

        /** Largest chunk, in the length function's unit; at least 1. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Most that trailing overlap sentences may take: {@code 0 <= chunkOverlap < chunkSize}. */
        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** How to measure; code points by default. */
        public Builder lengthFunction(LengthFunction lengthFunction) {
            this.lengthFunction = Objects.requireNonNull(lengthFunction, "lengthFunction");
            return this;
        }

        /** Measure in tokens of the named encoding (e.g. {@code cl100k_base}). */
        public Builder tokens(String encoding) {
            return lengthFunction(LengthFunction.tokens(encoding));
        }

        /**
         * Splitter for sentences longer than the chunk size; its chunks must be slices of the sentence.
         * Default: a {@link RecursiveSplitter} with this builder's size, overlap and length function.
         */
        public Builder longSentenceSplitter(TextSplitter longSentenceSplitter) {
            this.longSentenceSplitter = Objects.requireNonNull(longSentenceSplitter, "longSentenceSplitter");
            return this;
        }

        /** The overlap given, or the default rule's for the chunk size. */
        private int overlap() {
            return chunkOverlap != null ? chunkOverlap : ChunkOverlap.defaultFor(chunkSize);
        }

        public SentenceSplitter build() {
            Slices.checkSizes(chunkSize, overlap());
            return new SentenceSplitter(this);
        }
    }
}
