package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.store.MetadataFilter;
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
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pgvector store's own behaviour beyond the contract: schema, settings, hybrid search, failures. */
class PgVectorStoreTest {

    private final List<String> tables = new ArrayList<>();

    @AfterEach
    void dropTables() {
        tables.forEach(TestDatabase::drop);
    }

    private String table() {
        String table = TestDatabase.freshTable("store");
        tables.add(table);
        return table;
    }

    private static float[] vector(long seed, int dim) {
        Random r = new Random(seed);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static StoredChunk chunk(String id, String text, float[] vector) {
        return new StoredChunk(id, "doc-" + id, id + ".txt", 0, text.length(), text, "h-" + id, "model-a",
                Map.of("k", "v\t\\ \"quoted\"\nline"), vector);
    }

    private static String sql(String query) {
        try (Connection c = DriverManager.getConnection(TestDatabase.url()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void openRefusesATableMadeForAnotherModelOrDimensionAndNamesBoth() {
        String table = table();
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).expect("model-a", 8).build())) {
            assertThat(store.dimension()).isEqualTo(8);
        }

        assertThatThrownBy(() -> PgVectorStore.open(TestDatabase.config(table).expect("model-b", 16).build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("model model-a with dimension 8")
                .hasMessageContaining("model model-b with dimension 16")
                .hasMessageContaining("table " + table)
                .hasMessageNotContaining("user=");
        assertThatThrownBy(() -> PgVectorStore.open(TestDatabase.config(table).expect("model-a", 16).build()))
                .hasMessageContaining("dimension 16");
        // the same model and dimension open it, and so does a reader that expects nothing
        PgVectorStore.open(TestDatabase.config(table).expect("model-a", 8).build()).close();
        PgVectorStore.open(TestDatabase.config(table).build()).close();
    }

    @Test
    void openRefusesASchemaNewerThanItKnowsAndRecordsItsVersion() {
        String table = table();
        PgVectorStore.open(TestDatabase.config(table).build()).close();
        assertThat(sql("select value from " + table + "_info where key = 'schema_version'"))
                .isEqualTo(Integer.toString(PgSchema.VERSION));

        sql("update " + table + "_info set value = '99' where key = 'schema_version' returning value");

        assertThatThrownBy(() -> PgVectorStore.open(TestDatabase.config(table).build()))
                .isInstanceOf(StoreException.class).hasMessageContaining("schema version 99");
    }

    @Test
    void schemaHasTypedColumnsJsonbTsvectorAndConfiguredHnswIndex() {
        String table = table();
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).hnswM(8).hnswEfConstruction(40)
                .build())) {
            store.upsert(List.of(chunk("a", "some text", vector(1, 8))));
        }
        assertThat(sql("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = '" + table
                + "'::regclass and attname = 'embedding'")).isEqualTo("vector(8)");
        assertThat(sql("select data_type from information_schema.columns where table_name = '" + table
                + "' and column_name = 'metadata'")).isEqualTo("jsonb");
        assertThat(sql("select is_generated from information_schema.columns where table_name = '" + table
                + "' and column_name = 'content_tsv'")).isEqualTo("ALWAYS");
        assertThat(sql("select array_to_string(reloptions, ',') from pg_class where relname = '" + table
                + "_embedding_idx'")).isEqualTo("m=8,ef_construction=40");
        assertThat(sql("select indexdef from pg_indexes where indexname = '" + table + "_metadata_idx'"))
                .contains("gin");
    }

    @Test
    void embeddingsPastTwoThousandDimensionsAreHalfvec() {
        String table = table();
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).expect("model-a", 2048).build())) {
            store.upsert(List.of(chunk("a", "x", vector(1, 2048)), chunk("b", "y", vector(2, 2048))));

            assertThat(store.search(vector(2, 2048), 1).getFirst().chunkId()).isEqualTo("b");
            assertThat(store.search(vector(2, 2048), 1).getFirst().score()).isCloseTo(1.0, within(1e-3));
        }
        assertThat(sql("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = '" + table
                + "'::regclass and attname = 'embedding'")).isEqualTo("halfvec(2048)");
    }

    @Test
    void writingTheSameChunksAgainChangesNothing() {
        String table = table();
        List<StoredChunk> chunks = IntStream.range(0, 300)
                .mapToObj(i -> chunk("c" + i, "text\tof\nchunk \\" + i, vector(i, 8))).toList();
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).build())) {
            store.upsert(chunks);
            String before = sql("select md5(string_agg(" + table + "::text, '|' order by id)) from " + table);

            store.upsert(chunks);

            assertThat(store.count()).isEqualTo(300);
            assertThat(sql("select md5(string_agg(" + table + "::text, '|' order by id)) from " + table))
                    .isEqualTo(before);
            SearchHit hit = store.search(vector(7, 8), 1).getFirst();
            assertThat(SearchHit.of(chunks.get(7), hit.score())).isEqualTo(hit);
        }
    }

    private static List<StoredChunk> animals() {
        return List.of(
                chunk("kangaroo", "The kangaroo is running across the outback", vector(1, 8)),
                chunk("koala", "A koala sleeps in the eucalyptus tree", vector(2, 8)),
                chunk("wombat", "The wombat digs a burrow", vector(3, 8)),
                chunk("emu", "An emu is a tall bird that cannot fly", vector(4, 8)),
                chunk("platypus", "The platypus lays eggs and swims", vector(5, 8)));
    }

    @Test
    void hybridSearchFindsTheKeywordMatchAndFusesBothLists() {
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table()).build())) {
            store.upsert(animals());

            // the vector is wombat's, the words only koala's: koala is in both lists, so it comes first with the
            // sum of its two reciprocal ranks; wombat, first of the vector list alone, comes next
            float[] query = vector(3, 8);
            List<String> byVector = store.search(query, 5).stream().map(SearchHit::chunkId).toList();
            List<SearchHit> hybrid = store.search(SearchRequest.hybrid("koala tree", query, 5));
            assertThat(hybrid).extracting(SearchHit::chunkId).startsWith("koala", "wombat");
            assertThat(hybrid.getFirst().score())
                    .isCloseTo(1.0 / 61 + 1.0 / (61 + byVector.indexOf("koala")), within(1e-9));
            assertThat(hybrid.get(1).score()).isCloseTo(1.0 / 61, within(1e-9));

            List<SearchHit> keyword = store.search(SearchRequest.keyword("koala", 5));
            assertThat(keyword).extracting(SearchHit::chunkId).containsExactly("koala");
            assertThat(store.search(SearchRequest.keyword("the and a", 5))).isEmpty();
            // a filter of alternatives still applies together with the text match
            MetadataFilter wombatOrEmu = MetadataFilter.documentId("doc-wombat").or(MetadataFilter.documentId("doc-emu"));
            assertThat(store.search(SearchRequest.keyword("koala", 5).withFilter(wombatOrEmu))).isEmpty();
            assertThat(store.search(SearchRequest.hybrid("koala", query, 5).withFilter(wombatOrEmu)))
                    .extracting(SearchHit::chunkId).containsExactly("wombat", "emu");
        }
    }

    @Test
    void hybridWeightsAndRankConstantTakeEffect() {
        float[] query = vector(3, 8);
        try (PgVectorStore vectorOnly = PgVectorStore.open(TestDatabase.config(table()).keywordWeight(0)
                .rankConstant(10).build())) {
            vectorOnly.upsert(animals());
            List<SearchHit> hits = vectorOnly.search(SearchRequest.hybrid("koala", query, 5));
            assertThat(hits).extracting(SearchHit::chunkId)
                    .containsExactlyElementsOf(vectorOnly.search(query, 5).stream().map(SearchHit::chunkId).toList());
            assertThat(hits.getFirst().score()).isCloseTo(1.0 / 11, within(1e-9));
        }
        try (PgVectorStore keywordOnly = PgVectorStore.open(TestDatabase.config(table()).vectorWeight(0).build())) {
            keywordOnly.upsert(animals());
            assertThat(keywordOnly.search(SearchRequest.hybrid("koala", query, 5)))
                    .extracting(SearchHit::chunkId).containsExactly("koala");
        }
    }

    @Test
    void textSearchConfigDecidesStemming() {
        try (PgVectorStore english = PgVectorStore.open(TestDatabase.config(table()).build());
             PgVectorStore simple = PgVectorStore.open(TestDatabase.config(table()).textSearchConfig("simple").build())) {
            english.upsert(animals());
            simple.upsert(animals());

            assertThat(english.search(SearchRequest.keyword("run", 5))).extracting(SearchHit::chunkId)
                    .containsExactly("kangaroo");
            assertThat(simple.search(SearchRequest.keyword("run", 5))).isEmpty();
        }
    }

    private static List<StoredChunk> debts() {
        return List.of(chunk("off", "The nation must pay off the public debt", vector(1, 4)),
                chunk("interest", "The nation must pay the interest on the public debt", vector(2, 4)));
    }

    private static void execute(String... statements) {
        try (Connection c = DriverManager.getConnection(TestDatabase.url()); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDefaultAnalysisKeepsWhatPostgresEnglishDropsAndDropsLucenesStopWords() {
        String table = table();
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).build());
             PgVectorStore english = PgVectorStore.open(TestDatabase.config(table()).textSearchConfig("english").build())) {
            store.upsert(debts());
            english.upsert(debts());

            // "off" is one of PostgreSQL's 127 English stop words, not one of Lucene's 33
            assertThat(store.search(SearchRequest.keyword("pay off", 5))).extracting(SearchHit::chunkId).first().isEqualTo("off");
            assertThat(english.search(SearchRequest.keyword("off", 5))).isEmpty();
            assertThat(store.search(SearchRequest.keyword("the on", 5))).as("Lucene's stop words match nothing").isEmpty();
            // the BM25 length is the chunk's token count, stop words not counted: "The nation must pay off the public
            // debt" keeps nation, must, pay, off, public, debt
            assertThat(sql("select (select sum(array_length(p.positions, 1)) from unnest(content_tsv) as p) from " + table
                    + " where id = 'off'")).isEqualTo("6");
        }
    }

    @Test
    void aVersionOneTableIsMigratedAtOpenAndKeepsItsAnalysis() {
        String table = table();
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).textSearchConfig("english").build())) {
            store.upsert(debts());
        }
        // what version 1 left: no recorded stop words
        execute("update " + table + "_info set value = '1' where key = 'schema_version'",
                "delete from " + table + "_info where key = 'text_search_stop_words'");

        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).build())) {
            assertThat(sql("select value from " + table + "_info where key = 'schema_version'")).isEqualTo("2");
            assertThat(sql("select value from " + table + "_info where key = 'text_search_stop_words'")).isEmpty();
            assertThat(store.search(SearchRequest.keyword("public debt", 5))).hasSize(2);
            // the table's own configuration, not the opening config's default
            assertThat(store.search(SearchRequest.keyword("off", 5))).isEmpty();
            store.upsert(List.of(chunk("new", "A new public debt", vector(3, 4))));
            assertThat(store.search(SearchRequest.keyword("new", 5))).extracting(SearchHit::chunkId).containsExactly("new");
        }
    }

    @Test
    void anUnreachableDatabaseIsRetriedThenNamed() {
        PgVectorConfig config = PgVectorConfig.builder("jdbc:postgresql://127.0.0.1:1/nowhere?password=secret")
                .connectionTimeout(Duration.ofMillis(300))
                .resilience(ResilienceConfig.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).build())
                .build();

        assertThatThrownBy(() -> PgVectorStore.open(config))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/nowhere table parallelrag_chunks")
                .hasMessageContaining("open could not get a connection after 2 attempt(s)")
                .hasMessageNotContaining("secret");
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> PgVectorConfig.builder("jdbc:mysql://x/y").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("pgvector.url");
        assertThatThrownBy(() -> PgVectorConfig.builder("jdbc:postgresql://x/y").table("chunks; drop").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("pgvector.table");
        assertThatThrownBy(() -> PgVectorConfig.builder("jdbc:postgresql://x/y").hnswM(32).hnswEfConstruction(40)
                .build()).isInstanceOf(ValidationException.class).hasMessageContaining("2 * hnswM");
        assertThatThrownBy(() -> PgVectorConfig.builder("jdbc:postgresql://x/y").vectorWeight(0).keywordWeight(0)
                .build()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> PgVectorConfig.builder("jdbc:postgresql://x/y").efSearch(0).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("pgvector.efSearch");
        assertThat(PgVectorConfig.builder("jdbc:postgresql://x/y?user=u&password=secret").password("pw").build()
                .toString()).doesNotContain("secret").doesNotContain("pw");
    }
}
