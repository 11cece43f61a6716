package dev.parallelrag.pgvector;

import dev.parallelrag.error.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The store's tables and their version. {@code <table>_info} records the schema version, the embedding dimension
 * and the model the table was made for; {@code <table>_meta} holds the index metadata; {@code <table>} holds the
 * chunks and is created with the first dimension known (pgvector's column type fixes it). Changes run under a
 * transaction-scoped advisory lock, so two processes opening the same table do not race.
 */
final class PgSchema {

    /**
     * The version this code writes; older tables are migrated at open. 2: the text search analysis recorded with its
     * stop words ({@link PgTextSearch}); a version-1 table keeps its configuration and has none.
     */
    static final int VERSION = 2;

    private final PgVectorConfig config;
    private final String table;

    PgSchema(PgVectorConfig config) {
        this.config = config;
        this.table = config.table();
    }

    /** What the info table says about the chunk table, and the text analysis its full-text column and queries use. */
    record Info(int dimension, String model, PgTextSearch textSearch) {
        boolean created() {
            return dimension > 0;
        }

        String vectorType() {
            return vectorType(dimension);
        }

        static String vectorType(int dimension) {
            return dimension > PgVectorConfig.MAX_VECTOR_DIMENSIONS ? "halfvec" : "vector";
        }
    }

    /** Creates or migrates the tables, checks them against the expected model and dimension, and reads the info. */
    Info open(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try {
            lock(c);
            requireExtension(c);
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists " + table + "_info (key text primary key, value text not null)");
                s.execute("create table if not exists " + table + "_meta (key text primary key, value text not null)");
            }
            Map<String, String> info = readInfo(c);
            int version = info.containsKey("schema_version") ? Integer.parseInt(info.get("schema_version")) : 0;
            if (version > VERSION) {
                throw new StoreException("pgvector " + config.location() + ": open found schema version " + version
                        + ", newer than this version of ParallelRAG understands (" + VERSION + "); upgrade ParallelRAG");
            }
            if (version < 2 && info.containsKey("dimension")) {
                putInfo(c, "text_search_config", info.getOrDefault("text_search_config", "english"));
                putInfo(c, "text_search_stop_words", "");
                info = readInfo(c);
            }
            putInfo(c, "schema_version", Integer.toString(VERSION));
            Info current = info(info);
            check(current);
            if (!current.created() && config.expectedDimension() > 0) {
                current = createChunkTable(c, config.expectedDimension(), config.expectedModel());
            }
            if (current.created() && !config.deferHnswBuild()) {
                createHnswIndex(c, current.vectorType());
            }
            c.commit();
            return current;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * pgvector must be installed in the database: created here when the user may (a superuser, or an owner where
     * the extension is trusted), else an error that says how. Without it the chunk table cannot have a vector column.
     */
    private void requireExtension(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select 1 from pg_extension where extname = 'vector'")) {
            if (r.next()) {
                return;
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("create extension if not exists vector");
        } catch (SQLException e) {
            throw new StoreException("pgvector " + config.location() + ": open found no pgvector extension in the"
                    + " database, and could not create it (" + e.getMessage() + "); install pgvector 0.8 or newer on"
                    + " the server and run CREATE EXTENSION vector in the database as a superuser", e);
        }
    }

    /** The info as it stands now, without creating or checking anything. */
    Info read(Connection c) throws SQLException {
        Info current = info(readInfo(c));
        check(current);
        return current;
    }

    private Info info(Map<String, String> info) {
        PgTextSearch textSearch = info.containsKey("text_search_config")
                ? PgTextSearch.recorded(info.get("text_search_config"), info.get("text_search_stop_words"))
                : PgTextSearch.forNewTable(config.textSearchConfig());
        return new Info(Integer.parseInt(info.getOrDefault("dimension", "0")), info.get("model"), textSearch);
    }

    private void check(Info info) {
        if (!info.created()) {
            return;
        }
        int expected = config.expectedDimension();
        String model = config.expectedModel();
        boolean dimensionDiffers = expected > 0 && expected != info.dimension();
        boolean modelDiffers = model != null && info.model() != null && !model.equals(info.model());
        if (dimensionDiffers || modelDiffers) {
            throw new StoreException("pgvector " + config.location() + ": open found a table made for model "
                    + info.model() + " with dimension " + info.dimension() + ", but the embedder is model " + model
                    + " with dimension " + (expected > 0 ? expected : "any") + "; use the same embedding model as the"
                    + " table, or another --pg-table");
        }
    }

    /**
     * Creates the chunk table for {@code dimension} unless another writer did first, inside the caller's transaction.
     * Returns the info as it stands after.
     */
    Info createChunkTable(Connection c, int dimension, String model) throws SQLException {
        lock(c);
        Map<String, String> info = readInfo(c);
        if (info.containsKey("dimension")) {
            return info(info);
        }
        if (dimension > PgVectorConfig.MAX_HALFVEC_DIMENSIONS) {
            throw new StoreException("pgvector " + config.location() + ": create table failed: dimension " + dimension
                    + " is past pgvector's HNSW limit of " + PgVectorConfig.MAX_HALFVEC_DIMENSIONS
                    + "; use an embedding model with fewer dimensions");
        }
        String type = Info.vectorType(dimension);
        PgTextSearch textSearch = PgTextSearch.forNewTable(config.textSearchConfig());
        textSearch.ensure(c);
        // identifiers and numbers below are validated by PgVectorConfig; no value of a chunk is ever part of SQL text
        try (Statement s = c.createStatement()) {
            s.execute("create table " + table + " ("
                    + "id text primary key, "
                    + "document_id text not null, "
                    + "source text not null, "
                    + "start_offset integer not null, "
                    + "end_offset integer not null, "
                    + "content text not null, "
                    + "content_hash text not null, "
                    + "model_id text not null, "
                    + "metadata jsonb not null default '{}', "
                    + "embedding " + type + "(" + dimension + ") not null, "
                    + "content_tsv tsvector generated always as (" + textSearch.tsvector("content") + ") stored)");
            s.execute("create index " + table + "_document_idx on " + table + " (document_id)");
            s.execute("create index " + table + "_metadata_idx on " + table + " using gin (metadata jsonb_path_ops)");
            s.execute("create index " + table + "_tsv_idx on " + table + " using gin (content_tsv)");
        }
        if (!config.deferHnswBuild()) {
            createHnswIndex(c, type);
        }
        putInfo(c, "dimension", Integer.toString(dimension));
        putInfo(c, "text_search_config", textSearch.config());
        putInfo(c, "text_search_stop_words", textSearch.recordedStopWords());
        if (model != null) {
            putInfo(c, "model", model);
        }
        return new Info(dimension, model, textSearch);
    }

    /**
     * Creates the HNSW index of the chunk table unless it exists, inside the caller's transaction: after a load made
     * with {@link PgVectorConfig#deferHnswBuild()}, or at the next open when such a load never reached its close.
     */
    void createHnswIndex(Connection c, String type) throws SQLException {
        lock(c);
        try (Statement s = c.createStatement()) {
            s.execute("create index if not exists " + table + "_embedding_idx on " + table + " using hnsw (embedding "
                    + type + "_cosine_ops) with (m = " + config.hnswM() + ", ef_construction = "
                    + config.hnswEfConstruction() + ")");
        }
    }

    /**
     * Drops the chunk table and forgets its dimension and model, inside the caller's transaction, so that the next
     * write creates it again for its own embedder; the index metadata stays. What a rebuild starts from.
     */
    Info dropChunkTable(Connection c) throws SQLException {
        lock(c);
        try (Statement s = c.createStatement()) {
            s.execute("drop table if exists " + table);
            s.execute("delete from " + table + "_info where key in ('dimension', 'model', 'text_search_config',"
                    + " 'text_search_stop_words')");
        }
        return new Info(0, null, PgTextSearch.forNewTable(config.textSearchConfig()));
    }

    private void lock(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            p.setString(1, "parallelrag:" + table);
            p.execute();
        }
    }

    private Map<String, String> readInfo(Connection c) throws SQLException {
        Map<String, String> info = new java.util.HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select key, value from " + table + "_info")) {
            while (r.next()) {
                info.put(r.getString(1), r.getString(2));
            }
        }
        return info;
    }

    private void putInfo(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into " + table + "_info (key, value) values (?, ?)"
                + " on conflict (key) do update set value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }
}
