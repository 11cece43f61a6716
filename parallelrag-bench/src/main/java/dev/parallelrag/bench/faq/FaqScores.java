package dev.parallelrag.bench.faq;

import java.util.List;
import java.util.Locale;

/**
 * Scores of one search mode on one split, from the 1-based rank of each question's first answer-bearing chunk
 * (0 when none was retrieved).
 *
 * @param questions questions scored
 * @param recallAt1 share with an answer-bearing chunk first
 * @param recallAt5 share with one in the top 5
 * @param mrrAt10   mean of 1/rank of the first one, 0 when it is not in the top 10
 */
public record FaqScores(int questions, double recallAt1, double recallAt5, double mrrAt10) {

    /** Retrieval depth the scores need. */
    public static final int DEPTH = 10;

    public static FaqScores of(List<Integer> firstRanks) {
        int n = firstRanks.size();
        double r1 = firstRanks.stream().filter(r -> r == 1).count() / (double) n;
        double r5 = firstRanks.stream().filter(r -> r >= 1 && r <= 5).count() / (double) n;
        double mrr = firstRanks.stream().mapToDouble(r -> r >= 1 && r <= DEPTH ? 1.0 / r : 0).sum() / n;
        return new FaqScores(n, r1, r5, mrr);
    }

    String cells() {
        return String.format(Locale.ROOT, "%.3f | %.3f | %.3f", recallAt1, recallAt5, mrrAt10);
    }
}
