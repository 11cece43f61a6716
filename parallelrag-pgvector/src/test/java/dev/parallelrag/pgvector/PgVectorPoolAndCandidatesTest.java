package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.StoredChunk;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code poolSize}, {@code connectionTimeout} and {@code hybridCandidates} each change what the store does. */
class PgVectorPoolAndCandidatesTest {

    private final List<String> tables = new ArrayList<>();

    private String table() {
        String table = TestDatabase.freshTable("pool");
        tables.add(table);
        return table;
    }

    @AfterEach
    void dropTables() {
        tables.forEach(TestDatabase::drop);
    }

    private static float[] axis(float... leading) {
        float[] v = new float[8];
        System.arraycopy(leading, 0, v, 0, leading.length);
        return v;
    }

    private static StoredChunk chunk(String id, String text, float[] vector) {
        return new StoredChunk(id, "doc-" + id, id + ".txt", 0, text.length(), text, "h-" + id, "model-a",
                Map.of(), vector);
    }

    @Test
    void searchesHoldAtMostPoolSizeConnectionsAndTheRestGiveUpAfterTheConnectionTimeout() throws Exception {
        String table = table();
        PgVectorConfig config = TestDatabase.config(table).poolSize(2).connectionTimeout(Duration.ofMillis(500))
                .resilience(ResilienceConfig.builder().maxAttempts(1).build()).build();
        try (PgVectorStore store = PgVectorStore.open(config);
             Connection locker = DriverManager.getConnection(TestDatabase.url());
             ExecutorService searches = Executors.newVirtualThreadPerTaskExecutor()) {
            store.upsert(List.of(chunk("a", "alpha", axis(1)), chunk("b", "beta", axis(0, 1))));
            // every search now waits on the table lock while holding its pooled connection
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("lock table " + table + " in access exclusive mode");
            }
            List<Future<List<SearchHit>>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(searches.submit(() -> store.search(axis(1), 1)));
            }
            // two searches got the pool's two connections; the other two find none within 500 ms and fail, while
            // the lock is still held (with the 10 s default they would still be waiting, with 8 connections they
            // would all be waiting on the lock)
            List<Throwable> failures = new ArrayList<>();
            for (Future<List<SearchHit>> f : futures) {
                try {
                    f.get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    // one of the two holding a connection
                }
            }
            assertThat(failures).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(StoreException.class)
                    .hasMessageContaining("could not get a connection"));
            assertThat(lockWaiters(locker, table)).isEqualTo(2);
            locker.rollback();
            int completed = 0;
            for (Future<List<SearchHit>> f : futures) {
                if (f.state() != Future.State.FAILED) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).extracting(SearchHit::chunkId).containsExactly("a");
                    completed++;
                }
            }
            assertThat(completed).isEqualTo(2);
        }
    }

    /** Backends of this database waiting for a lock on the table. */
    private static int lockWaiters(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select count(*) from pg_locks where not granted and relation = '" + table + "'::regclass")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void hybridFusesOnlyTheConfiguredNumberOfCandidatesFromEachList() {
        // "middle" is second in both lists; "near" leads the vector list only and "words" the keyword list only.
        // Fusing two or more of each, middle's two reciprocal ranks win; fusing one of each, middle is in neither.
        List<StoredChunk> chunks = List.of(
                chunk("near", "alpha", axis(1)),
                chunk("middle", "koala beta gamma delta epsilon zeta eta theta", axis(0.9f, 0.44f)),
                chunk("words", "koala koala koala", axis(-0.5f, 0, 0.8f)),
                chunk("d1", "iota", axis(0, 1)),
                chunk("d2", "kappa", axis(0, 0, 0, 1)),
                chunk("d3", "lambda", axis(0, 0, 0, 0, 1)));
        SearchRequest query = SearchRequest.hybrid("koala", axis(1), 1);
        try (PgVectorStore wide = PgVectorStore.open(TestDatabase.config(table()).build());
             PgVectorStore narrow = PgVectorStore.open(TestDatabase.config(table()).hybridCandidates(1).build())) {
            wide.upsert(chunks);
            narrow.upsert(chunks);
            assertThat(wide.search(query)).extracting(SearchHit::chunkId).containsExactly("middle");
            assertThat(narrow.search(query)).extracting(SearchHit::chunkId).singleElement()
                    .isIn("near", "words");
        }
    }
}
