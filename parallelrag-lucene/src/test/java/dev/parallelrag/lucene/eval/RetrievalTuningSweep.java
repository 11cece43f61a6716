package dev.parallelrag.lucene.eval;

import dev.parallelrag.lucene.LuceneStoreConfig;
import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.lucene.TextAnalyzer;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproduces the analyzer and RRF-weight table in docs/stores.md. Not part of the normal suite:
 * {@code ./mvnw -B -q -ntp -o verify -pl parallelrag-lucene -am -Dtest=RetrievalTuningSweep
 * -Dsurefire.failIfNoSpecifiedTests=false -Dparallelrag.eval.sweep=true}
 */
@EnabledIfSystemProperty(named = "parallelrag.eval.sweep", matches = "true")
class RetrievalTuningSweep {

    @TempDir
    Path dir;

    @Test
    void sweepAnalyzersAndWeights() {
        List<EvalQuestion> questions = EvalQuestion.load(SotuRetrievalBenchmark.QUESTIONS);
        double[][] weights = {{1, 1}, {1, 0.5}, {1, 0.75}, {0.75, 1}, {0.5, 1}, {1, 1.5}};
        StringBuilder table = new StringBuilder(
                "| analyzer | vector w | keyword w | hybrid R@5 | hybrid MRR | vector R@5 | vector MRR | keyword R@5 | keyword MRR |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2()) {
            RetrievalEvaluation evaluation = SotuRetrievalBenchmark.evaluation(model);
            for (TextAnalyzer analyzer : TextAnalyzer.values()) {
                Path index = dir.resolve(analyzer.wireName());
                int chunks;
                try (LuceneVectorStore store = LuceneVectorStore.open(
                        LuceneStoreConfig.builder(index).analyzer(analyzer).build())) {
                    chunks = evaluation.index(store);
                }
                for (double[] w : weights) {
                    try (LuceneVectorStore store = LuceneVectorStore.open(LuceneStoreConfig.builder(index)
                            .analyzer(analyzer).vectorWeight(w[0]).keywordWeight(w[1]).build())) {
                        var r = evaluation.evaluate(store, chunks, questions);
                        table.append(String.format(Locale.ROOT,
                                "| %s | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                                analyzer.wireName(), w[0], w[1],
                                r.of(dev.parallelrag.store.SearchMode.HYBRID).recallAt5(),
                                r.of(dev.parallelrag.store.SearchMode.HYBRID).mrrAt10(),
                                r.of(dev.parallelrag.store.SearchMode.VECTOR).recallAt5(),
                                r.of(dev.parallelrag.store.SearchMode.VECTOR).mrrAt10(),
                                r.of(dev.parallelrag.store.SearchMode.KEYWORD).recallAt5(),
                                r.of(dev.parallelrag.store.SearchMode.KEYWORD).mrrAt10()));
                    }
                }
            }
        }
        System.out.print(table);
    }
}
