package dev.parallelrag.pgvector;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.spi.VectorStoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Registers the PostgreSQL store as {@code store.kind = pgvector} (see
 * {@code META-INF/services/dev.parallelrag.store.spi.VectorStoreProvider}), so that the engine, the CLI
 * ({@code --store pgvector --pg-url URL}) and the server open an index in PostgreSQL as they open a directory.
 *
 * <p>The location's address is the JDBC URL ({@code jdbc:postgresql://host:port/database?user=...}, which may carry
 * the password); its one setting is {@value #TABLE} (default {@code parallelrag_chunks}). The index's record (the
 * embedder, splitter and last ingest that the engine reopens with) is the table's index metadata, in
 * {@code <table>_meta}. Every other {@link PgVectorConfig} setting has its default here; build a
 * {@link PgVectorStore} yourself to choose them.
 */
public final class PgVectorStoreProvider implements VectorStoreProvider {

    /** The kind, as {@code --store} names it. */
    public static final String KIND = "pgvector";
    /** The location setting naming the chunk table. */
    public static final String TABLE = "table";

    private static final Set<String> SETTINGS = Set.of(TABLE);

    @Override
    public String kind() {
        return KIND;
    }

    /** True when the table's index metadata records something (the engine writes its manifest with the first ingest). */
    @Override
    public boolean holdsIndex(StoreLocation location) {
        if (!KIND.equals(location.kind())) {
            return false; // a directory given without a kind: never a PostgreSQL table
        }
        try (PgVectorStore store = PgVectorStore.open(config(location))) {
            return !store.indexMetadata().isEmpty();
        }
    }

    @Override
    public VectorStore open(StoreLocation location, boolean readOnly) {
        PgVectorStore store = PgVectorStore.open(config(location));
        if (!readOnly) {
            try {
                store.putIndexMetadata(Map.of(IndexManifest.STORE_KIND, KIND));
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return store;
    }

    @Override
    public Map<String, String> recordedMetadata(StoreLocation location) {
        try (PgVectorStore store = PgVectorStore.open(config(location))) {
            return store.indexMetadata();
        }
    }

    /** PostgreSQL keeps no index files of ours to check: it checks its own pages. */
    @Override
    public IntegrityReport verify(StoreLocation location) {
        throw new StoreException("pgvector " + config(location).location() + ": verify checks the files of an index"
                + " directory, and a pgvector index has none; PostgreSQL checks its own pages (pg_amcheck, data checksums)");
    }

    @Override
    public boolean discard(StoreLocation location) {
        try (PgVectorStore store = PgVectorStore.open(config(location))) {
            store.dropChunks();
        }
        return true;
    }

    /**
     * The store's settings for {@code location}.
     *
     * @throws ValidationException without a URL, or for a setting this kind does not have
     */
    static PgVectorConfig config(StoreLocation location) {
        if (location.address() == null) {
            throw new ValidationException("pgvector.url", null, "is not set: give the PostgreSQL JDBC URL of the index,"
                    + " e.g. jdbc:postgresql://localhost:5432/rag?user=rag (--pg-url URL or PARALLELRAG_PG_URL)");
        }
        for (String name : location.settings().keySet()) {
            if (!SETTINGS.contains(name)) {
                throw new ValidationException("pgvector." + name, location.settings().get(name),
                        "is not a setting of a pgvector location; the one there is is " + TABLE);
            }
        }
        PgVectorConfig.Builder builder = PgVectorConfig.builder(location.address());
        String table = location.setting(TABLE);
        if (table != null) {
            builder.table(table);
        }
        return builder.build();
    }
}
