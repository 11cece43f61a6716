package dev.parallelrag.lucene;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.ReciprocalRankFusion;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * The settings an index records about itself (under {@code store.} in its metadata) so that it reopens as
     * it was built: the analyzer, the fusion weights and constant, the candidate counts and the HNSW graph
     * parameters. Not the directory, {@code ramBufferMb} or {@code readOnly}, which belong to one process.
     */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("analyzer", analyzer.wireName());
        m.put("vector_weight", Double.toString(vectorWeight));
        m.put("keyword_weight", Double.toString(keywordWeight));
        m.put("rank_constant", Integer.toString(rankConstant));
        m.put("hybrid_candidates", Integer.toString(hybridCandidates));
        m.put("vector_candidates", Integer.toString(vectorCandidates));
        m.put("hnsw_max_conn", Integer.toString(hnswMaxConn));
        m.put("hnsw_beam_width", Integer.toString(hnswBeamWidth));
        return m;
    }

    /**
     * A builder for {@code directory} with the recorded {@link #settings()} applied over the defaults. An
     * unknown key or a value that does not parse is a {@link ValidationException} naming it.
     */
    public static Builder fromSettings(Path directory, Map<String, String> settings) {
        Builder b = builder(directory);
        settings.forEach((key, value) -> {
            switch (key) {
                case "analyzer" -> b.analyzer(TextAnalyzer.parse(value));
                case "vector_weight" -> b.vectorWeight(number(key, value));
                case "keyword_weight" -> b.keywordWeight(number(key, value));
                case "rank_constant" -> b.rankConstant((int) whole(key, value));
                case "hybrid_candidates" -> b.hybridCandidates((int) whole(key, value));
                case "vector_candidates" -> b.vectorCandidates((int) whole(key, value));
                case "hnsw_max_conn" -> b.hnswMaxConn((int) whole(key, value));
                case "hnsw_beam_width" -> b.hnswBeamWidth((int) whole(key, value));
                default -> throw new ValidationException("store." + key, value,
                        "is not a Lucene store setting this version knows; open the index with the version that built it");
            }
        });
        return b;
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new ValidationException("store." + key, value, "must be a number");
        }
    }

    private static long whole(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ValidationException("store." + key, value, "must be a whole number");
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
