package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.lucene.eval.EvalQuestion;
import dev.parallelrag.lucene.eval.RetrievalEvaluation;
import dev.parallelrag.lucene.eval.SotuRetrievalBenchmark;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.store.SearchMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, Must show 1: on the project's retrieval-quality test (the SOTU questions of
 * {@code HybridRetrievalQualityTest}), pgvector's hybrid search is within 0.02 of Lucene's on recall@5 and MRR@10.
 * Both stores get the same chunks and vectors in the same run; every question whose first relevant rank differs is
 * printed, so that a change of either ranking shows where it moved.
 */
class PgVectorRetrievalParityTest {

    private static final double TOLERANCE = 0.02;

    @TempDir
    static Path dir;

    private static String table;
    private static RetrievalEvaluation.Report lucene;
    private static RetrievalEvaluation.Report pgvector;

    @BeforeAll
    static void evaluateBothStores() {
        String url = TestDatabase.url();
        table = TestDatabase.freshTable("parity");
        List<EvalQuestion> questions = EvalQuestion.load(SotuRetrievalBenchmark.QUESTIONS);
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2()) {
            RetrievalEvaluation evaluation = SotuRetrievalBenchmark.evaluation(model);
            try (LuceneVectorStore store = LuceneVectorStore.open(dir.resolve("index"))) {
                lucene = evaluation.evaluate(store, evaluation.index(store), questions);
            }
            try (PgVectorStore store = PgVectorStore.open(PgVectorConfig.builder(url).table(table).build())) {
                pgvector = evaluation.evaluate(store, evaluation.index(store), questions);
            }
        }
        System.out.printf("Lucene:%n%spgvector:%n%s", lucene.table(), pgvector.table());
        for (SearchMode mode : SearchMode.values()) {
            List<Integer> a = lucene.of(mode).firstRelevantRanks();
            List<Integer> b = pgvector.of(mode).firstRelevantRanks();
            for (int q = 0; q < a.size(); q++) {
                if (!a.get(q).equals(b.get(q))) {
                    System.out.printf("%s q%02d (%s): first relevant rank Lucene %d, pgvector %d (0 = not in the top 10)%n",
                            mode.wireName(), q + 1, questions.get(q).question(), a.get(q), b.get(q));
                }
            }
        }
    }

    @AfterAll
    static void dropTable() {
        if (table != null) {
            TestDatabase.drop(table);
        }
    }

    @Test
    void hybridSearchIsWithinTwoHundredthsOfLuceneOnRecallAndMrr() {
        var ours = pgvector.of(SearchMode.HYBRID);
        var peer = lucene.of(SearchMode.HYBRID);
        assertThat(ours.recallAt5()).as("hybrid recall@5, pgvector vs Lucene").isCloseTo(peer.recallAt5(), within(TOLERANCE));
        assertThat(ours.mrrAt10()).as("hybrid MRR@10, pgvector vs Lucene").isCloseTo(peer.mrrAt10(), within(TOLERANCE));
    }

    @Test
    void bothStoresIndexedTheSameChunks() {
        assertThat(pgvector.chunks()).isEqualTo(lucene.chunks()).isPositive();
        assertThat(pgvector.questions()).isEqualTo(lucene.questions());
    }
}
