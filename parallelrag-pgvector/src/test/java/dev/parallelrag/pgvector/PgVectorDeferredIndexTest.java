package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.StoredChunk;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PgVectorConfig#deferHnswBuild()}: no HNSW index during the load, built at close or at the next open. */
class PgVectorDeferredIndexTest {

    private static final int DIM = 16;

    private final List<String> tables = new ArrayList<>();

    @AfterEach
    void dropTables() {
        tables.forEach(TestDatabase::drop);
    }

    @Test
    void theIndexIsAbsentDuringTheLoadAndBuiltAtCloseWithTheSameResults() {
        String deferred = table();
        String immediate = table();
        List<StoredChunk> chunks = chunks(300);
        float[] query = vector(new Random(99));
        List<SearchHit> expected;
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(immediate).build())) {
            store.upsert(chunks);
            assertThat(hasHnsw(immediate)).isTrue();
            expected = store.search(query, 10, null);
        }

        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(deferred).deferHnswBuild(true).build())) {
            store.upsert(chunks.subList(0, 150));
            store.upsert(chunks.subList(150, 300));
            assertThat(hasHnsw(deferred)).as("no HNSW index while the deferred load runs").isFalse();
            assertThat(ids(store.search(query, 10, null))).as("exact search meanwhile").isEqualTo(ids(expected));
        }
        assertThat(hasHnsw(deferred)).as("built at close").isTrue();
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(deferred).build())) {
            assertThat(ids(store.search(query, 10, null))).isEqualTo(ids(expected));
        }
    }

    @Test
    void aLoadThatNeverClosedGetsItsIndexAtTheNextOpenWithoutTheOption() {
        String table = table();
        PgVectorStore abandoned = PgVectorStore.open(TestDatabase.config(table).deferHnswBuild(true).build());
        abandoned.upsert(chunks(50));
        assertThat(hasHnsw(table)).isFalse();

        try (PgVectorStore reopened = PgVectorStore.open(TestDatabase.config(table).build())) {
            assertThat(hasHnsw(table)).as("built by the open of a store without the option").isTrue();
            assertThat(reopened.count()).isEqualTo(50);
        }
        abandoned.close();
    }

    private String table() {
        String table = TestDatabase.freshTable("deferred");
        tables.add(table);
        return table;
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    private static boolean hasHnsw(String table) {
        try (Connection c = DriverManager.getConnection(TestDatabase.url()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from pg_indexes where tablename = '" + table
                     + "' and indexdef like '%USING hnsw%'")) {
            r.next();
            return r.getInt(1) == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<StoredChunk> chunks(int n) {
        Random r = new Random(5);
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "c" + i;
            chunks.add(new StoredChunk(id, "doc-" + i / 10, id + ".txt", 0, 4, "text " + i, "h-" + id, "model-a",
                    Map.of(), vector(r)));
        }
        return chunks;
    }

    private static float[] vector(Random r) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
