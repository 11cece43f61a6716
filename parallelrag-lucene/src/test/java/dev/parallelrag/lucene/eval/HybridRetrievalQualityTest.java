package dev.parallelrag.lucene.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.store.SearchMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 2: on a retrieval test built from real text with known answer passages, Lucene hybrid
 * search beats vector-only and BM25-only search. How the test set was built: docs/stores.md.
 *
 * <p>Chunk vectors come from the real all-MiniLM-L6-v2 model, through a cache of its outputs kept
 * in test resources to keep the suite fast; a sample is re-embedded live and must match. Queries
 * are always embedded live. Regenerate the cache after a model or splitter change with
 * {@code -Dparallelrag.eval.writeCache=true}.
 */
class HybridRetrievalQualityTest {

    @TempDir
    static Path dir;

    private static OnnxEmbeddingModel model;
    private static RetrievalEvaluation evaluation;
    private static List<EvalQuestion> questions;
    private static LuceneVectorStore store;
    private static RetrievalEvaluation.Report report;

    @BeforeAll
    static void buildIndexAndEvaluate() {
        model = OnnxEmbeddingModel.allMiniLmL6V2();
        questions = EvalQuestion.load(SotuRetrievalBenchmark.QUESTIONS);
        evaluation = SotuRetrievalBenchmark.evaluation(model);
        store = LuceneVectorStore.open(dir.resolve("index"));
        int chunks = evaluation.index(store);
        if (Boolean.getBoolean("parallelrag.eval.writeCache")) {
            evaluation.cache().write(SotuRetrievalBenchmark.VECTORS_SOURCE);
        }
        report = evaluation.evaluate(store, chunks, questions);
        System.out.printf("SOTU retrieval: %d files, %d chunks, %d questions (%d chunk vectors cached, %d embedded live)%n%s",
                report.files(), report.chunks(), report.questions(), evaluation.fromCache(),
                evaluation.embeddedLive(), report.table());
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void hybridBeatsVectorOnlyAndKeywordOnlySearch() {
        var hybrid = report.of(SearchMode.HYBRID);
        for (SearchMode single : List.of(SearchMode.VECTOR, SearchMode.KEYWORD)) {
            var other = report.of(single);
            assertThat(hybrid.recallAt5()).as("recall@5 hybrid vs " + single.wireName())
                    .isGreaterThanOrEqualTo(other.recallAt5());
            assertThat(hybrid.mrrAt10()).as("MRR@10 hybrid vs " + single.wireName())
                    .isGreaterThan(other.mrrAt10());
        }
    }

    @Test
    void cachedChunkVectorsMatchTheLiveModel() {
        assertThat(evaluation.fromCache() + evaluation.embeddedLive()).isEqualTo(report.chunks());
        if (evaluation.fromCache() > 0) {
            assertThat(evaluation.minSampleCosine())
                    .as("cached vectors no longer match the model; regenerate with -Dparallelrag.eval.writeCache=true")
                    .isGreaterThan(0.999);
        }
    }

    @Test
    void rebuildingTheIndexGivesIdenticalRankings() {
        try (LuceneVectorStore again = LuceneVectorStore.open(dir.resolve("again"))) {
            int chunks = evaluation.index(again);
            var second = evaluation.evaluate(again, chunks, questions);
            for (SearchMode mode : SearchMode.values()) {
                assertThat(second.of(mode).firstRelevantRanks()).as(mode.wireName())
                        .isEqualTo(report.of(mode).firstRelevantRanks());
            }
        }
    }

    @Test
    void everyQuestionPointsAtTextThatExistsInTheCorpus() throws IOException {
        assertThat(questions).hasSizeGreaterThanOrEqualTo(40);
        for (EvalQuestion q : questions) {
            assertThat(SotuRetrievalBenchmark.FILES).contains(q.source());
            String text = Files.readString(SotuRetrievalBenchmark.CORPUS.resolve(q.source()), StandardCharsets.UTF_8);
            assertThat(text).as(q.question()).contains(q.answer());
        }
    }
}
