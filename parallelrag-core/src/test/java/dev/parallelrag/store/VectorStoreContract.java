package dev.parallelrag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VectorStore} must have. A store's test extends this class and
 * implements {@link #newStore()}; it is shipped in core's test-jar so that stores in other modules
 * (and users' own stores) run the same suite.
 */
public abstract class VectorStoreContract {

    protected static final int DIM = 8;
    protected static final String MODEL = "test/model-a";

    protected VectorStore store;

    /** A new, empty store. It is closed after each test. */
    protected abstract VectorStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A deterministic pseudo-random vector for a seed. */
    protected static float[] vector(long seed) {
        Random r = new Random(seed);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    protected static StoredChunk chunk(String id, String documentId, float[] vector) {
        return chunk(id, documentId, vector, Map.of());
    }

    protected static StoredChunk chunk(String id, String documentId, float[] vector, Map<String, String> metadata) {
        return new StoredChunk(id, documentId, documentId + ".txt", 10, 20, "text of " + id, "hash-" + id, MODEL,
                metadata, vector);
    }

    /** 40 chunks over 4 documents, metadata {@code parity} even/odd. */
    protected static List<StoredChunk> corpus() {
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chunks.add(chunk(String.format("c%02d", i), "doc" + (i % 4), vector(i),
                    Map.of("parity", i % 2 == 0 ? "even" : "odd", "n", Integer.toString(i))));
        }
        return chunks;
    }

    /** Exact expected ranking by cosine similarity, ties by id. */
    protected static List<String> exactTop(List<StoredChunk> chunks, float[] query, int k, MetadataFilter filter) {
        return chunks.stream()
                .filter(filter::test)
                .sorted(Comparator.comparingDouble((StoredChunk c) -> -Vectors.cosine(query, c.vector()))
                        .thenComparing(StoredChunk::id))
                .limit(k)
                .map(StoredChunk::id)
                .toList();
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    @Test
    void emptyStoreHasNothingAndSearchReturnsEmpty() {
        assertThat(store.count()).isZero();
        assertThat(store.dimension()).isZero();
        assertThat(store.documentIds()).isEmpty();
        assertThat(store.search(vector(1), 5)).isEmpty();
    }

    @Test
    void searchFindsTheNearestChunksBestFirstWithCosineScores() {
        List<StoredChunk> chunks = corpus();
        store.upsert(chunks);
        float[] query = vector(1000);

        List<SearchHit> hits = store.search(query, 5);

        assertThat(ids(hits)).containsExactlyElementsOf(exactTop(chunks, query, 5, MetadataFilter.all()));
        assertThat(hits).isSortedAccordingTo(StoreChecks.BEST_FIRST);
        for (SearchHit hit : hits) {
            StoredChunk c = chunks.stream().filter(x -> x.id().equals(hit.chunkId())).findFirst().orElseThrow();
            assertThat(hit.score()).isCloseTo(Vectors.cosine(query, c.vector()), within(1e-4));
        }
    }

    @Test
    void exactMatchScoresOneAndRanksFirst() {
        List<StoredChunk> chunks = corpus();
        store.upsert(chunks);
        float[] query = chunks.get(17).vector();
        // scaling does not change cosine similarity
        for (int i = 0; i < query.length; i++) {
            query[i] *= 3.5f;
        }

        SearchHit top = store.search(query, 1).get(0);

        assertThat(top.chunkId()).isEqualTo("c17");
        assertThat(top.score()).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void hitsCarryEveryStoredField() {
        StoredChunk c = new StoredChunk("id-1", "doc-1", "dir/a.md", 5, 42, "Four score and seven years ago",
                "sha256:abc", MODEL, Map.of("lang", "en", "title", "Gettysburg"), vector(7));
        store.upsert(List.of(c));

        SearchHit hit = store.search(vector(7), 1).get(0);

        assertThat(hit).isEqualTo(SearchHit.of(c, hit.score()));
        assertThat(store.dimension()).isEqualTo(DIM);
    }

    @Test
    void searchReturnsAtMostKHits() {
        store.upsert(corpus());

        assertThat(store.search(vector(5), 1)).hasSize(1);
        assertThat(store.search(vector(5), 7)).hasSize(7);
        assertThat(store.search(vector(5), 1000)).hasSize(40);
    }

    @Test
    void upsertIsIdempotentByChunkIdAndLastWriteWins() {
        store.upsert(corpus());
        store.upsert(corpus());
        assertThat(store.count()).isEqualTo(40);

        StoredChunk replaced = new StoredChunk("c03", "doc3", "doc3.txt", 0, 3, "new", "hash-new", MODEL,
                Map.of(), vector(999));
        store.upsert(List.of(replaced));

        assertThat(store.count()).isEqualTo(40);
        SearchHit top = store.search(vector(999), 1).get(0);
        assertThat(top.chunkId()).isEqualTo("c03");
        assertThat(top.text()).isEqualTo("new");
        assertThat(top.contentHash()).isEqualTo("hash-new");
    }

    @Test
    void duplicateIdsWithinOneBatchKeepTheLast() {
        store.upsert(List.of(chunk("x", "d", vector(1)), chunk("x", "d", vector(2))));

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.search(vector(2), 1).get(0).score()).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void upsertMovingAChunkToAnotherDocumentUpdatesDocumentIndexes() {
        store.upsert(List.of(chunk("x", "d1", vector(1))));
        store.upsert(List.of(chunk("x", "d2", vector(1))));

        assertThat(store.documentIds()).containsExactly("d2");
        assertThat(store.chunkIds("d1")).isEmpty();
        assertThat(store.deleteDocument("d1")).isZero();
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void deleteDocumentRemovesOnlyThatDocumentsChunks() {
        store.upsert(corpus());

        assertThat(store.deleteDocument("doc1")).isEqualTo(10);

        assertThat(store.count()).isEqualTo(30);
        assertThat(store.documentIds()).containsExactlyInAnyOrder("doc0", "doc2", "doc3");
        assertThat(store.search(vector(1), 40)).noneMatch(h -> h.documentId().equals("doc1"));
        assertThat(store.deleteDocument("doc1")).isZero();
        assertThat(store.deleteDocument("never-stored")).isZero();
    }

    @Test
    void deleteChunksRemovesExactlyThoseIds() {
        store.upsert(corpus());

        assertThat(store.deleteChunks(List.of("c00", "c01", "unknown"))).isEqualTo(2);

        assertThat(store.count()).isEqualTo(38);
        assertThat(store.chunkIds("doc0")).doesNotContain("c00").contains("c04");
        assertThat(store.existingIds(List.of("c00", "c02"), MODEL)).containsExactly("c02");
    }

    @Test
    void metadataFilterRestrictsTheSearchAndKeepsExactRanking() {
        List<StoredChunk> chunks = corpus();
        store.upsert(chunks);
        float[] query = vector(4242);
        MetadataFilter even = MetadataFilter.eq("parity", "even");

        List<SearchHit> hits = store.search(query, 5, even);

        assertThat(hits).allMatch(h -> h.metadata().get("parity").equals("even"));
        assertThat(ids(hits)).containsExactlyElementsOf(exactTop(chunks, query, 5, even));
    }

    @Test
    void builtInFieldFiltersAndBooleanCombinationsWork() {
        List<StoredChunk> chunks = corpus();
        store.upsert(chunks);
        float[] query = vector(77);

        MetadataFilter doc2 = MetadataFilter.documentId("doc2");
        assertThat(store.search(query, 40, doc2)).hasSize(10).allMatch(h -> h.documentId().equals("doc2"));

        MetadataFilter sources = MetadataFilter.anyOf(MetadataFilter.SOURCE, Set.of("doc1.txt", "doc3.txt"));
        assertThat(store.search(query, 40, sources)).hasSize(20);

        // doc0 and doc2 only hold even numbers, so (doc0 or doc1) and not even = doc1's ten chunks
        MetadataFilter combined = MetadataFilter.documentId("doc0").or(MetadataFilter.documentId("doc1"))
                .and(MetadataFilter.eq("parity", "even").negate());
        List<SearchHit> hits = store.search(query, 40, combined);
        assertThat(hits).hasSize(10).allMatch(h -> h.documentId().equals("doc1"));
        assertThat(ids(hits)).containsExactlyElementsOf(exactTop(chunks, query, 40, combined));

        assertThat(store.search(query, 5, MetadataFilter.eq("parity", "none"))).isEmpty();
        assertThat(store.search(query, 5, MetadataFilter.eq(MetadataFilter.MODEL_ID, MODEL))).hasSize(5);
        assertThat(store.search(query, 5, MetadataFilter.eq(MetadataFilter.CONTENT_HASH, "hash-c05")))
                .extracting(SearchHit::chunkId).containsExactly("c05");
    }

    @Test
    void tiesAreBrokenByChunkId() {
        float[] v = vector(3);
        store.upsert(List.of(chunk("b", "d", v), chunk("c", "d", v), chunk("a", "d", v)));

        assertThat(ids(store.search(v, 3))).containsExactly("a", "b", "c");
    }

    @Test
    void existingIdsReportsOnlyChunksEmbeddedWithThatModel() {
        store.upsert(List.of(chunk("a", "d", vector(1)),
                new StoredChunk("b", "d", "d.txt", 0, 1, "b", "h", "other/model", Map.of(), vector(2))));

        assertThat(store.existingIds(List.of("a", "b", "zzz"), MODEL)).containsExactly("a");
        assertThat(store.existingIds(Set.of("a", "b"), "other/model")).containsExactly("b");
        assertThat(store.existingIds(List.of(), MODEL)).isEmpty();
    }

    @Test
    void chunkIdsAndDocumentIdsListWhatIsStored() {
        store.upsert(corpus());

        assertThat(store.documentIds()).containsExactlyInAnyOrder("doc0", "doc1", "doc2", "doc3");
        assertThat(store.chunkIds("doc3")).hasSize(10).contains("c03", "c07", "c39");
        assertThat(store.chunkIds("nope")).isEmpty();
    }

    @Test
    void documentChunkCountsCountEachDocumentsChunksAndFollowDeletes() {
        assertThat(store.documentChunkCounts()).isEmpty();
        store.upsert(corpus());
        store.upsert(List.of(chunk("solo", "doc9", vector(99))));

        assertThat(store.documentChunkCounts()).containsOnly(Map.entry("doc0", 10L), Map.entry("doc1", 10L),
                Map.entry("doc2", 10L), Map.entry("doc3", 10L), Map.entry("doc9", 1L));

        store.deleteDocument("doc1");
        store.deleteChunks(List.of("c00", "c04"));
        assertThat(store.documentChunkCounts()).containsOnly(Map.entry("doc0", 8L), Map.entry("doc2", 10L),
                Map.entry("doc3", 10L), Map.entry("doc9", 1L));
    }

    @Test
    void indexMetadataCanBeSetReplacedAndRemoved() {
        Map<String, String> put = new HashMap<>();
        put.put("model", MODEL);
        put.put("last_ingest", "{\"chunks\":3}");
        store.putIndexMetadata(put);
        assertThat(store.indexMetadata()).containsEntry("model", MODEL).containsEntry("last_ingest", "{\"chunks\":3}");

        Map<String, String> change = new HashMap<>();
        change.put("last_ingest", null);
        change.put("model", "other");
        store.putIndexMetadata(change);
        store.commit();

        assertThat(store.indexMetadata()).containsEntry("model", "other").doesNotContainKey("last_ingest");
        assertThat(store.stats().indexMetadata()).containsEntry("model", "other");
    }

    @Test
    void statsCountChunksDocumentsAndModels() {
        store.upsert(corpus());
        store.upsert(List.of(new StoredChunk("z", "docZ", "z.txt", 0, 1, "z", "h", "other/model", Map.of(),
                vector(5))));
        store.commit();

        StoreStats stats = store.stats();

        assertThat(stats.chunks()).isEqualTo(41);
        assertThat(stats.documents()).isEqualTo(5);
        assertThat(stats.dimension()).isEqualTo(DIM);
        assertThat(stats.modelIds()).containsEntry(MODEL, 40L).containsEntry("other/model", 1L);
        assertThat(stats.location()).isNotBlank();
    }

    @Test
    void badInputIsRejectedWithValidationErrorsAndWritesNothing() {
        store.upsert(List.of(chunk("a", "d", vector(1))));

        assertThatThrownBy(() -> store.upsert(List.of(chunk("b", "d", new float[] {1, 2, 3}))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("dimension");
        // a bad chunk anywhere in a batch rejects the whole batch
        assertThatThrownBy(() -> store.upsert(List.of(chunk("c", "d", vector(2)), chunk("e", "d", new float[4]))))
                .isInstanceOf(ValidationException.class);
        assertThat(store.count()).isEqualTo(1);

        assertThatThrownBy(() -> store.search(new float[] {1, 2}, 3))
                .isInstanceOf(ValidationException.class).hasMessageContaining("dimension " + DIM);
        assertThatThrownBy(() -> store.search(vector(1), 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("search.k");
        assertThatThrownBy(() -> store.search(new float[DIM], 3))
                .isInstanceOf(ValidationException.class).hasMessageContaining("non-zero");
        assertThatThrownBy(() -> store.search(null, 3)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.deleteDocument(" ")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.existingIds(List.of("a"), "")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.upsert(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void storedChunkRejectsBadVectorsAndReservedKeys() {
        assertThatThrownBy(() -> chunk("a", "d", new float[] {1f, Float.NaN}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> chunk("a", "d", new float[0])).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> chunk("a", "d", vector(1), Map.of("$source", "x")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("reserved");
    }

    @Test
    void emptyBatchIsANoOp() {
        store.upsert(List.of());

        assertThat(store.count()).isZero();
        assertThat(store.dimension()).isZero();
    }

    @Test
    void concurrentUpsertsAndSearchesAreSafeAndLoseNothing() throws Exception {
        int writers = 4;
        int batches = 10;
        int perBatch = 10;
        store.upsert(List.of(chunk("seed", "seed", vector(-1))));
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int b = 0; b < batches; b++) {
                        int batch = b;
                        store.upsert(IntStream.range(0, perBatch)
                                .mapToObj(i -> chunk("w" + writer + "-" + batch + "-" + i, "doc-w" + writer,
                                        vector(writer * 10_000L + batch * 100L + i)))
                                .toList());
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                int reader = r;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int q = 0; q < 50; q++) {
                        List<SearchHit> hits = store.search(vector(reader * 1000L + q), 5);
                        assertThat(hits).isNotEmpty().hasSizeLessThanOrEqualTo(5)
                                .isSortedAccordingTo(StoreChecks.BEST_FIRST);
                        assertThat(store.count()).isBetween(1L, 1L + writers * batches * perBatch);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.count()).isEqualTo(1L + writers * batches * perBatch);
        assertThat(store.documentIds()).hasSize(writers + 1);
        assertThat(store.chunkIds("doc-w2")).hasSize(batches * perBatch);
    }

    @Test
    void closingTwiceIsHarmlessAndUseAfterCloseFailsWithStoreError() {
        store.upsert(List.of(chunk("a", "d", vector(1))));
        store.close();
        store.close();

        assertThatThrownBy(() -> store.search(vector(1), 1)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.upsert(List.of(chunk("b", "d", vector(2)))))
                .isInstanceOf(StoreException.class);
    }
}
