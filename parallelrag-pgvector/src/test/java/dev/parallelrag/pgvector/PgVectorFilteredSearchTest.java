package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Filtered search through the HNSW index (issue 13, must-show 4): 20,000 rows, a filter matching 1 % of them.
 * Without iterative scans the index stops after {@code ef_search} candidates, nearly all filtered away; with them
 * the query still returns k rows, as good as exact filtered search.
 */
class PgVectorFilteredSearchTest {

    private static final int ROWS = 20_000;
    private static final int DIM = 16;
    private static final int K = 10;
    private static final MetadataFilter ONE_PERCENT = MetadataFilter.eq("bucket", "7");
    /** The same rows, by a condition the GIN index cannot serve, so that PostgreSQL scans the HNSW index. */
    private static final MetadataFilter ONE_PERCENT_UNINDEXED = MetadataFilter.eq("bucket", "7").negate().negate();

    private static String table;
    private static List<StoredChunk> chunks;

    @BeforeAll
    static void load() {
        table = TestDatabase.freshTable("filtered");
        Random random = new Random(13);
        chunks = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) random.nextGaussian();
            }
            chunks.add(new StoredChunk(String.format("c%05d", i), "doc" + i / 10, "s", 0, 1, "t", "h", "m",
                    Map.of("bucket", Integer.toString(i % 100)), v));
        }
        // a smaller graph than the default builds in half the time; the recall asserted below holds with it
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).hnswM(8).hnswEfConstruction(32)
                .build())) {
            for (int from = 0; from < ROWS; from += 5_000) {
                store.upsert(chunks.subList(from, from + 5_000));
            }
        }
    }

    @AfterAll
    static void drop() {
        TestDatabase.drop(table);
    }

    private static Set<String> exact(float[] query, MetadataFilter filter, int k) {
        Set<String> ids = new HashSet<>();
        chunks.stream().filter(filter::test)
                .sorted(Comparator.comparingDouble((StoredChunk c) -> -Vectors.cosine(query, c.vector())))
                .limit(k).forEach(c -> ids.add(c.id()));
        return ids;
    }

    private static float[] query(int seed) {
        return chunks.get(seed * 37).vector();
    }

    @Test
    void aOnePercentFilterReturnsKOfKWithRecallAtLeast95Percent() {
        for (MetadataFilter filter : List.of(ONE_PERCENT, ONE_PERCENT_UNINDEXED)) {
            assertKOfKWithRecall(filter);
        }
    }

    /**
     * At 20,000 rows PostgreSQL's planner may answer a 1 % filter exactly, without the HNSW index; these sessions may
     * not scan the table, so they take the index path that iterative scans exist for.
     */
    private static PgVectorConfig.Builder throughTheIndex() {
        String url = TestDatabase.url();
        return PgVectorConfig.builder(url + (url.contains("?") ? "&" : "?")
                        + "options=-c%20enable_seqscan%3Doff%20-c%20enable_bitmapscan%3Doff")
                .table(table).poolSize(2);
    }

    @Test
    void throughTheHnswIndexAOnePercentFilterStillReturnsKOfK() {
        assertKOfKWithRecall(ONE_PERCENT, throughTheIndex());
    }

    private static void assertKOfKWithRecall(MetadataFilter filter) {
        assertKOfKWithRecall(filter, TestDatabase.config(table));
    }

    private static void assertKOfKWithRecall(MetadataFilter filter, PgVectorConfig.Builder config) {
        try (PgVectorStore store = PgVectorStore.open(config.build())) {
            int found = 0;
            int relevant = 0;
            for (int q = 0; q < 20; q++) {
                float[] query = query(q);
                List<SearchHit> hits = store.search(query, K, filter);

                assertThat(hits).hasSize(K).allMatch(h -> h.metadata().get("bucket").equals("7"));
                Set<String> truth = exact(query, filter, K);
                found += (int) hits.stream().filter(h -> truth.contains(h.chunkId())).count();
                relevant += truth.size();
            }
            assertThat((double) found / relevant).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void withoutIterativeScansTheSameFilterLosesResults() {
        try (PgVectorStore store = PgVectorStore.open(throughTheIndex()
                .iterativeScan(PgVectorConfig.IterativeScan.OFF).build())) {
            int returned = 0;
            for (int q = 0; q < 20; q++) {
                returned += store.search(query(q), K, ONE_PERCENT).size();
            }
            assertThat(returned).isLessThan(20 * K / 2);
        }
    }

    @Test
    void efSearchBoundsWhatTheIndexReturnsWithoutAFilter() {
        try (PgVectorStore narrow = PgVectorStore.open(TestDatabase.config(table).efSearch(5).build());
             PgVectorStore wide = PgVectorStore.open(TestDatabase.config(table).efSearch(200).build())) {
            assertThat(narrow.search(query(1), 40)).hasSize(5);
            assertThat(wide.search(query(1), 40)).hasSize(40);
        }
    }
}
