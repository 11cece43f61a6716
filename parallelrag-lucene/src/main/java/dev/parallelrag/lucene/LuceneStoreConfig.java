package dev.parallelrag.lucene;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.ReciprocalRankFusion;
import java.nio.file.Path;

/**
 * Settings of a {@link LuceneVectorStore}. Build with {@link #builder(Path)}; every setting has a
 * documented default.
 *
 * @param directory        index directory, created if missing
 * @param analyzer         BM25 text analysis (default {@link TextAnalyzer#ENGLISH}, chosen by the
 *                         retrieval evaluation in docs/stores.md)
 * @param vectorWeight     RRF weight of the vector list in hybrid search (default 1.0)
 * @param keywordWeight    RRF weight of the BM25 list in hybrid search (default 1.0)
 * @param rankConstant     RRF k (default 60)
 * @param hybridCandidates hits fetched from each list before fusing (default 50; at least k is used)
 * @param vectorCandidates minimum HNSW candidate list size per search (default 100): a larger list
 *                         costs time and raises recall; the store returns the best k of them
 * @param hnswMaxConn      HNSW graph degree M (default 16, Lucene's default)
 * @param hnswBeamWidth    HNSW construction beam width (default 100, Lucene's default)
 * @param ramBufferMb      IndexWriter RAM buffer before a segment is flushed (default 64)
 * @param readOnly         open without a writer (default false): searches see the last commit, and
 *                         several processes may read while one writes; writes fail with a StoreException
 */
public record LuceneStoreConfig(
        Path directory,
        TextAnalyzer analyzer,
        double vectorWeight,
        double keywordWeight,
        int rankConstant,
        int hybridCandidates,
        int vectorCandidates,
        int hnswMaxConn,
        int hnswBeamWidth,
        double ramBufferMb,
        boolean readOnly) {

    public LuceneStoreConfig {
        if (directory == null) {
            throw new ValidationException("lucene.directory", null, "must be set (e.g. .parallelrag)");
        }
        if (analyzer == null) {
            throw new ValidationException("lucene.analyzer", null, "must be english or standard");
        }
        requireWeight("lucene.vectorWeight", vectorWeight);
        requireWeight("lucene.keywordWeight", keywordWeight);
        if (vectorWeight + keywordWeight <= 0) {
            throw new ValidationException("lucene.vectorWeight+keywordWeight", vectorWeight + keywordWeight,
                    "must be > 0; at least one list must count");
        }
        new ReciprocalRankFusion(rankConstant); // validates
        requireRange("lucene.hybridCandidates", hybridCandidates, 1, 10_000);
        requireRange("lucene.vectorCandidates", vectorCandidates, 1, 10_000);
        requireRange("lucene.hnswMaxConn", hnswMaxConn, 2, 512);
        requireRange("lucene.hnswBeamWidth", hnswBeamWidth, 1, 3200);
        if (!(ramBufferMb >= 1 && ramBufferMb <= 2048)) {
            throw new ValidationException("lucene.ramBufferMb", ramBufferMb, "must be between 1 and 2048");
        }
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** Defaults for {@code directory}. */
    public static LuceneStoreConfig defaults(Path directory) {
        return builder(directory).build();
    }

    public Builder toBuilder() {
        return new Builder(directory).analyzer(analyzer).vectorWeight(vectorWeight).keywordWeight(keywordWeight)
                .rankConstant(rankConstant).hybridCandidates(hybridCandidates).vectorCandidates(vectorCandidates)
                .hnswMaxConn(hnswMaxConn).hnswBeamWidth(hnswBeamWidth).ramBufferMb(ramBufferMb).readOnly(readOnly);
    }

    private static void requireWeight(String field, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new ValidationException(field, w, "must be a finite number >= 0");
        }
    }

    private static void requireRange(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new ValidationException(field, v, "must be between " + min + " and " + max);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final Path directory;
        private TextAnalyzer analyzer = TextAnalyzer.ENGLISH;
        private double vectorWeight = 1.0;
        private double keywordWeight = 1.0;
        private int rankConstant = ReciprocalRankFusion.DEFAULT_RANK_CONSTANT;
        private int hybridCandidates = 50;
        private int vectorCandidates = 100;
        private int hnswMaxConn = 16;
        private int hnswBeamWidth = 100;
        private double ramBufferMb = 64;
        private boolean readOnly;

        private Builder(Path directory) {
            this.directory = directory;
        }

        public Builder analyzer(TextAnalyzer value) {
            this.analyzer = value;
            return this;
        }

        public Builder vectorWeight(double value) {
            this.vectorWeight = value;
            return this;
        }

        public Builder keywordWeight(double value) {
            this.keywordWeight = value;
            return this;
        }

        public Builder rankConstant(int value) {
            this.rankConstant = value;
            return this;
        }

        public Builder hybridCandidates(int value) {
            this.hybridCandidates = value;
            return this;
        }

        public Builder vectorCandidates(int value) {
            this.vectorCandidates = value;
            return this;
        }

        public Builder hnswMaxConn(int value) {
            this.hnswMaxConn = value;
            return this;
        }

        public Builder hnswBeamWidth(int value) {
            this.hnswBeamWidth = value;
            return this;
        }

        public Builder ramBufferMb(double value) {
            this.ramBufferMb = value;
            return this;
        }

        public Builder readOnly(boolean value) {
            this.readOnly = value;
            return this;
        }

        public LuceneStoreConfig build() {
            return new LuceneStoreConfig(directory, analyzer, vectorWeight, keywordWeight, rankConstant,
                    hybridCandidates, vectorCandidates, hnswMaxConn, hnswBeamWidth, ramBufferMb, readOnly);
        }
    }
}
