package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.StoredChunk;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lucene-specific behaviour beyond the store contract: persistence, crashes, locking, BM25, hybrid. */
class LuceneVectorStoreTest {

    @TempDir
    Path dir;

    private static StoredChunk chunk(String id, String doc, String text, float... vector) {
        return new StoredChunk(id, doc, doc + ".txt", 0, text.length(), text, "h-" + id, "m", Map.of(), vector);
    }

    private static final List<StoredChunk> TEXTS = List.of(
            chunk("tariff", "d1", "Congress should reduce the tariff on imported wool and iron.", 1, 0, 0),
            chunk("navy", "d1", "The navy requires new ships and the construction of dry docks.", 0, 1, 0),
            chunk("indian", "d2", "Treaties with the Indian tribes were ratified during the session.", 0, 0, 1),
            chunk("debt", "d2", "The public debt was reduced by forty millions of dollars.", 0.7f, 0.7f, 0),
            chunk("mail", "d3", "The postal service carried the mails to the western territories.", 0, 0.7f, 0.7f));

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    @Test
    void committedChunksAndMetadataSurviveReopen() {
        Path index = dir.resolve("idx");
        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            store.upsert(TEXTS);
            store.putIndexMetadata(Map.of("model", "m", "last_ingest", "{\"added\":5}"));
        } // close commits

        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            assertThat(store.count()).isEqualTo(5);
            assertThat(store.dimension()).isEqualTo(3);
            assertThat(store.indexMetadata()).containsEntry("model", "m").containsEntry("last_ingest", "{\"added\":5}");
            assertThat(ids(store.search(new float[] {0, 0, 1}, 1))).containsExactly("indian");
            assertThatThrownBy(() -> store.upsert(List.of(chunk("x", "d", "x", 1, 2))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("dimension 3");
            assertThat(store.stats().sizeOnDisk()).isPositive();
        }
    }

    @Test
    void sigkillLeavesTheLastCommitIntactAndTheIndexWritable() throws Exception {
        Path index = dir.resolve("crash");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), index.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("READY"));
            assertThat(line).as("child output before READY").isEqualTo("READY 90");
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close, no commit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            assertThat(store.count()).isEqualTo(50);
            assertThat(store.documentIds()).hasSize(5).contains("doc-0");
            assertThat(store.indexMetadata()).containsEntry("last_ingest", "committed");
            // re-running the same work after the crash converges on the uninterrupted result
            store.upsert(CrashWriterMain.chunks(0, 50));
            store.upsert(CrashWriterMain.chunks(50, 100));
            assertThat(store.count()).isEqualTo(100);
        }
    }

    @Test
    void aSecondWriterIsRefusedWithAClearStoreErrorButReadersAreWelcome() {
        Path index = dir.resolve("locked");
        try (LuceneVectorStore writer = LuceneVectorStore.open(index)) {
            writer.upsert(TEXTS);
            writer.commit();

            assertThatThrownBy(() -> LuceneVectorStore.open(index))
                    .isInstanceOf(StoreException.class).hasMessageContaining("locked by another writer");

            try (LuceneVectorStore reader = LuceneVectorStore.open(
                    LuceneStoreConfig.builder(index).readOnly(true).build())) {
                assertThat(reader.count()).isEqualTo(5);
                assertThatThrownBy(() -> reader.upsert(TEXTS))
                        .isInstanceOf(StoreException.class).hasMessageContaining("read-only");

                writer.deleteDocument("d3");
                writer.putIndexMetadata(Map.of("last_ingest", "two"));
                writer.commit();
                assertThat(reader.count()).as("reader sees the writer's next commit").isEqualTo(4);
                assertThat(reader.indexMetadata()).containsEntry("last_ingest", "two");
            }
        }
    }

    @Test
    void aReaderOpenedOnAnEmptyIndexLearnsTheDimensionFromLaterCommits() {
        Path index = dir.resolve("late");
        try (LuceneVectorStore writer = LuceneVectorStore.open(index)) {
            writer.commit();
            try (LuceneVectorStore reader = LuceneVectorStore.open(
                    LuceneStoreConfig.builder(index).readOnly(true).build())) {
                assertThat(reader.dimension()).isZero();
                assertThat(reader.search(new float[] {0, 0, 1}, 1)).isEmpty();

                writer.upsert(TEXTS);
                writer.commit();

                assertThat(ids(reader.search(new float[] {0, 0, 1}, 1))).containsExactly("indian");
                assertThat(reader.dimension()).isEqualTo(3);
            }
        }
    }

    @Test
    void openingAMissingIndexReadOnlySaysToIngestFirst() {
        assertThatThrownBy(() -> LuceneVectorStore.open(LuceneStoreConfig.builder(dir.resolve("none"))
                .readOnly(true).build()))
                .isInstanceOf(StoreException.class).hasMessageContaining("parallelrag ingest");
    }

    @Test
    void anIndexCannotBeReopenedWithAnotherAnalyzer() {
        Path index = dir.resolve("an");
        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            store.upsert(TEXTS);
        }
        assertThatThrownBy(() -> LuceneVectorStore.open(
                LuceneStoreConfig.builder(index).analyzer(TextAnalyzer.STANDARD).build()))
                .isInstanceOf(StoreException.class).hasMessageContaining("english");
    }

    @Test
    void keywordSearchRanksByBm25WithStemmingAndIgnoresQuerySyntax() {
        try (LuceneVectorStore store = LuceneVectorStore.open(dir.resolve("kw"))) {
            store.upsert(TEXTS);

            // "tariffs" stems to "tariff"; "AND (" is not parsed as syntax
            List<SearchHit> hits = store.search(SearchRequest.keyword("tariffs AND (wool", 3));
            assertThat(ids(hits)).containsExactly("tariff");
            assertThat(hits.get(0).score()).isPositive();

            assertThat(store.search(SearchRequest.keyword("the of and", 3))).as("stop words only").isEmpty();
            assertThat(ids(store.search(new SearchRequest(SearchMode.KEYWORD, "reduced", null, 5,
                    MetadataFilter.documentId("d2"))))).containsExactly("debt");
        }
    }

    @Test
    void hybridSearchFusesBothListsWithReciprocalRankFusion() {
        try (LuceneVectorStore store = LuceneVectorStore.open(dir.resolve("hy"))) {
            store.upsert(TEXTS);
            float[] towardNavy = {0, 1, 0};

            // vector ranks navy first and tariff low; keyword finds only tariff. Tariff is first in one
            // list and present in the other, so it wins the fusion; navy, first in one list only, follows.
            List<SearchHit> hybrid = store.search(SearchRequest.hybrid("tariff", towardNavy, 5));
            assertThat(ids(hybrid).subList(0, 2)).containsExactly("tariff", "navy");
            int tariffVectorRank = ids(store.search(towardNavy, 10)).indexOf("tariff") + 1;
            assertThat(hybrid.get(0).score()).isEqualTo(1.0 / 61 + 1.0 / (60 + tariffVectorRank));
            assertThat(hybrid.get(1).score()).isEqualTo(1.0 / 61);

            // a zero keyword weight makes hybrid equal to vector order
            try (LuceneVectorStore vectorOnly = reopenWithWeights(store, 1.0, 0.0)) {
                assertThat(ids(vectorOnly.search(SearchRequest.hybrid("tariff", towardNavy, 5))))
                        .containsExactlyElementsOf(ids(vectorOnly.search(towardNavy, 5)));
            }
        }
    }

    private LuceneVectorStore reopenWithWeights(LuceneVectorStore store, double vectorWeight, double keywordWeight) {
        Path copy = dir.resolve("weights-" + vectorWeight + "-" + keywordWeight);
        LuceneVectorStore other = LuceneVectorStore.open(LuceneStoreConfig.builder(copy)
                .vectorWeight(vectorWeight).keywordWeight(keywordWeight).build());
        other.upsert(TEXTS);
        return other;
    }

    @Test
    void configRejectsBadSettingsByName() {
        assertThatThrownBy(() -> LuceneStoreConfig.builder(dir).vectorWeight(-1).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("lucene.vectorWeight");
        assertThatThrownBy(() -> LuceneStoreConfig.builder(dir).vectorWeight(0).keywordWeight(0).build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> LuceneStoreConfig.builder(dir).hnswMaxConn(1).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("lucene.hnswMaxConn");
        assertThatThrownBy(() -> LuceneStoreConfig.builder(null).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("lucene.directory");
        assertThatThrownBy(() -> TextAnalyzer.parse("klingon")).isInstanceOf(ValidationException.class);
    }
}
