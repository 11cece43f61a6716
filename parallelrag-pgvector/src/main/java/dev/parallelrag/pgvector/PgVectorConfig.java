package dev.parallelrag.pgvector;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.store.ReciprocalRankFusion;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Settings of a {@link PgVectorStore}. Build with {@link #builder(String)}; every value is checked there.
 *
 * @param jdbcUrl           {@code jdbc:postgresql://host:port/database}, optionally with {@code ?user=...}
 * @param user              the database user, or null to take it from the URL
 * @param password          the password, or null (never shown by {@link #toString()})
 * @param table             the chunk table; its companions are {@code <table>_info} and {@code <table>_meta}
 * @param expectedDimension the embedder's dimension, checked against the table's at open; 0 to accept any
 * @param expectedModel     the embedder's model id, checked against the table's at open; null to accept any
 * @param hnswM             HNSW {@code m}: links per node (default 16)
 * @param hnswEfConstruction HNSW {@code ef_construction}: candidate list while building (default 64)
 * @param efSearch          {@code hnsw.ef_search} for every query (default 100)
 * @param iterativeScan     {@code hnsw.iterative_scan} for filtered queries (default relaxed order)
 * @param textSearchConfig  the PostgreSQL text search configuration of a new table's {@code tsvector} (default
 *                          {@code parallelrag_english}, which the store creates: the English stemmer and Lucene's
 *                          English stop words, so that keyword search ranks as the Lucene store's does; any other
 *                          configuration must exist and is used with its own stop words). A table keeps the one it
 *                          was made with.
 * @param vectorWeight      RRF weight of the vector list in hybrid search (default 1.0)
 * @param keywordWeight     RRF weight of the full-text list in hybrid search (default 1.0)
 * @param rankConstant      RRF k (default 60)
 * @param hybridCandidates  how many of each list hybrid search fuses (default 50, at least k)
 * @param poolSize          the most connections the pool opens (default 8)
 * @param connectionTimeout how long one attempt waits for a connection (default 10 s)
 * @param resilience        the retry policy for connection failures (the providers' policy)
 * @param deferHnswBuild    a chunk table this store creates gets its HNSW index at {@link PgVectorStore#close()},
 *                          not at creation, so a first bulk load does not update the graph row by row (default
 *                          false); a store opened without it builds an index that is missing
 */
public record PgVectorConfig(
        String jdbcUrl,
        String user,
        String password,
        String table,
        int expectedDimension,
        String expectedModel,
        int hnswM,
        int hnswEfConstruction,
        int efSearch,
        IterativeScan iterativeScan,
        String textSearchConfig,
        double vectorWeight,
        double keywordWeight,
        int rankConstant,
        int hybridCandidates,
        int poolSize,
        Duration connectionTimeout,
        ResilienceConfig resilience,
        boolean deferHnswBuild) {

    /** Past this many dimensions embeddings are stored as {@code halfvec}: pgvector's HNSW indexes at most 2,000 {@code vector} dimensions. */
    public static final int MAX_VECTOR_DIMENSIONS = 2000;
    /** The most dimensions an HNSW index on {@code halfvec} takes. */
    public static final int MAX_HALFVEC_DIMENSIONS = 4000;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

    /** pgvector's {@code hnsw.iterative_scan}: how an index scan goes on when a filter removed too many rows. */
    public enum IterativeScan {
        /** Stop after {@code ef_search} candidates (filtered queries may return fewer than k rows). */
        OFF,
        /** Scan on, keeping exact distance order. */
        STRICT_ORDER,
        /** Scan on, allowing slightly out-of-order rows (re-sorted by this store). */
        RELAXED_ORDER;

        String setting() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PgVectorConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ValidationException("pgvector.url", jdbcUrl == null ? null : redact(jdbcUrl),
                    "must be a PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/rag?user=rag");
        }
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw new ValidationException("pgvector.table", table,
                    "must be a lower-case SQL identifier of at most 48 characters (letters, digits, _)");
        }
        if (expectedDimension < 0 || expectedDimension > MAX_HALFVEC_DIMENSIONS) {
            throw new ValidationException("pgvector.expectedDimension", expectedDimension,
                    "must be 0 (any) or 1.." + MAX_HALFVEC_DIMENSIONS + " (pgvector's HNSW limit for halfvec)");
        }
        if (expectedModel != null && expectedModel.isBlank()) {
            throw new ValidationException("pgvector.expectedModel", expectedModel, "must be null (any) or a model id");
        }
        range("pgvector.hnswM", hnswM, 2, 100);
        range("pgvector.hnswEfConstruction", hnswEfConstruction, 4, 1000);
        if (hnswEfConstruction < 2 * hnswM) {
            throw new ValidationException("pgvector.hnswEfConstruction", hnswEfConstruction,
                    "must be at least 2 * hnswM (" + 2 * hnswM + "), as pgvector requires");
        }
        range("pgvector.efSearch", efSearch, 1, 1000);
        if (iterativeScan == null) {
            throw new ValidationException("pgvector.iterativeScan", null, "must be off, strict_order or relaxed_order");
        }
        if (textSearchConfig == null || !IDENTIFIER.matcher(textSearchConfig).matches()) {
            throw new ValidationException("pgvector.textSearchConfig", textSearchConfig,
                    "must be the name of a PostgreSQL text search configuration, e.g. english or simple");
        }
        weight("pgvector.vectorWeight", vectorWeight);
        weight("pgvector.keywordWeight", keywordWeight);
        if (vectorWeight + keywordWeight <= 0) {
            throw new ValidationException("pgvector.vectorWeight+keywordWeight", vectorWeight + keywordWeight,
                    "must be > 0: at least one list has to count in hybrid search");
        }
        range("pgvector.rankConstant", rankConstant, 0, 10_000);
        range("pgvector.hybridCandidates", hybridCandidates, 1, 10_000);
        range("pgvector.poolSize", poolSize, 1, 1000);
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            throw new ValidationException("pgvector.connectionTimeout", connectionTimeout,
                    "must be at least 250 ms (HikariCP's minimum)");
        }
        if (resilience == null) {
            throw new ValidationException("pgvector.resilience", null, "must be set (ResilienceConfig.defaults())");
        }
    }

    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** The URL without its query part, which may carry a user or a password: safe for errors and stats. */
    public String location() {
        return redact(jdbcUrl) + " table " + table;
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ValidationException(field, value, "must be between " + min + " and " + max);
        }
    }

    private static void weight(String field, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new ValidationException(field, w, "must be a finite number >= 0");
        }
    }

    @Override
    public String toString() {
        return "PgVectorConfig[" + location() + ", m=" + hnswM + ", efConstruction=" + hnswEfConstruction
                + ", efSearch=" + efSearch + ", iterativeScan=" + iterativeScan.setting() + "]";
    }

    /** Builder with the defaults named on {@link PgVectorConfig}. */
    public static final class Builder {
        private final String jdbcUrl;
        private String user;
        private String password;
        private String table = "parallelrag_chunks";
        private int expectedDimension;
        private String expectedModel;
        private int hnswM = 16;
        private int hnswEfConstruction = 64;
        private int efSearch = 100;
        private IterativeScan iterativeScan = IterativeScan.RELAXED_ORDER;
        private String textSearchConfig = PgTextSearch.LUCENE_ENGLISH;
        private double vectorWeight = 1.0;
        private double keywordWeight = 1.0;
        private int rankConstant = ReciprocalRankFusion.DEFAULT_RANK_CONSTANT;
        private int hybridCandidates = 50;
        private int poolSize = 8;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private ResilienceConfig resilience = ResilienceConfig.defaults();
        private boolean deferHnswBuild;

        private Builder(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        public Builder user(String v) { this.user = v; return this; }
        public Builder password(String v) { this.password = v; return this; }
        public Builder table(String v) { this.table = v; return this; }
        /** The embedder's model and dimension, checked against the table's at open. */
        public Builder expect(String modelId, int dimension) {
            this.expectedModel = modelId;
            this.expectedDimension = dimension;
            return this;
        }
        public Builder hnswM(int v) { this.hnswM = v; return this; }
        public Builder hnswEfConstruction(int v) { this.hnswEfConstruction = v; return this; }
        public Builder efSearch(int v) { this.efSearch = v; return this; }
        public Builder iterativeScan(IterativeScan v) { this.iterativeScan = v; return this; }
        public Builder textSearchConfig(String v) { this.textSearchConfig = v; return this; }
        public Builder vectorWeight(double v) { this.vectorWeight = v; return this; }
        public Builder keywordWeight(double v) { this.keywordWeight = v; return this; }
        public Builder rankConstant(int v) { this.rankConstant = v; return this; }
        public Builder hybridCandidates(int v) { this.hybridCandidates = v; return this; }
        public Builder poolSize(int v) { this.poolSize = v; return this; }
        public Builder connectionTimeout(Duration v) { this.connectionTimeout = v; return this; }
        public Builder resilience(ResilienceConfig v) { this.resilience = v; return this; }
        public Builder deferHnswBuild(boolean v) { this.deferHnswBuild = v; return this; }

        public PgVectorConfig build() {
            return new PgVectorConfig(jdbcUrl, user, password, table, expectedDimension, expectedModel, hnswM,
                    hnswEfConstruction, efSearch, iterativeScan, textSearchConfig, vectorWeight, keywordWeight,
                    rankConstant, hybridCandidates, poolSize, connectionTimeout, resilience, deferHnswBuild);
        }
    }
}
