package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.StoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keyword search ranks by BM25, as Lucene's does: a rare word of the query counts for more than a common one. */
class PgVectorKeywordRankingTest {

    private String table;

    @AfterEach
    void drop() {
        if (table != null) {
            TestDatabase.drop(table);
        }
    }

    private static StoredChunk chunk(String id, String text) {
        return new StoredChunk(id, id, id + ".txt", 0, text.length(), text, "h-" + id, "m", Map.of(), new float[] {1, 0});
    }

    @Test
    void aRareQueryWordOutranksACommonOneRepeated() {
        table = TestDatabase.freshTable("bm25");
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            chunks.add(chunk("common" + i, "the nation grew this year, as every year before it"));
        }
        chunks.add(chunk("rare", "the platypus is a mammal that lays eggs"));
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).build())) {
            store.upsert(chunks);

            List<SearchHit> hits = store.search(SearchRequest.keyword("platypus year", 3));

            // "year" is in 20 of 21 chunks, twice in each; "platypus" in one: only inverse document frequency puts
            // it first (ts_rank_cd, which has none, ranked the twice-"year" chunks above it)
            assertThat(hits).extracting(SearchHit::chunkId).first().isEqualTo("rare");
            assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        }
    }

    @Test
    void aShorterChunkWithTheSameWordRanksFirst() {
        table = TestDatabase.freshTable("bm25");
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).build())) {
            store.upsert(List.of(chunk("long", "koala eucalyptus forest canopy branch leaf bark marsupial sleep"),
                    chunk("short", "koala sleep"), chunk("other", "wombat burrow")));

            assertThat(store.search(SearchRequest.keyword("koala", 5))).extracting(SearchHit::chunkId)
                    .containsExactly("short", "long");
        }
    }
}
