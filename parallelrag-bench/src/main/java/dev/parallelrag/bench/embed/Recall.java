package dev.parallelrag.bench.embed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Retrieval check for the quantized model: one query per chunk, its longest sentence (under 400
 * characters); a query is a hit when its own chunk is among the 10 nearest chunks by cosine. recall@10 of
 * full and quantized vectors come from the same texts, so the two figures are a paired comparison.
 */
final class Recall {

    private Recall() {
    }

    static List<String> queries(List<String> chunks) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            String best = chunks.get(i);
            int bestLen = 0;
            for (String s : chunks.get(i).split("(?<=[.!?])\\s+")) {
                if (s.length() > bestLen && s.length() < 400) {
                    best = s;
                    bestLen = s.length();
                }
            }
            out.add(best);
        }
        return out;
    }

    static void report(Path dir) throws IOException {
        for (String model : List.of("full", "q")) {
            float[][] chunks = LocalEmbeddingBench.read(dir.resolve("chunks-ours-" + model + ".bin"));
            float[][] queries = LocalEmbeddingBench.read(dir.resolve("queries-ours-" + model + ".bin"));
            int hits = 0;
            for (int q = 0; q < queries.length; q++) {
                int target = q;
                double targetScore = dot(queries[q], chunks[target]);
                int better = 0;
                for (int c = 0; c < chunks.length; c++) {
                    if (c != target && dot(queries[q], chunks[c]) > targetScore) {
                        better++;
                    }
                }
                if (better < 10) {
                    hits++;
                }
            }
            System.out.printf(Locale.ROOT, "RECALL model=%s recall@10 %.4f (%d of %d queries)%n", model,
                    (double) hits / queries.length, hits, queries.length);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
