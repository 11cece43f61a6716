package dev.parallelrag.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Length bucketing: sequences are sorted by length and cut into micro-batches whose padded size
 * (rows x longest row) stays within the token budget and whose row count stays within the batch size.
 * Sorting keeps padding small; callers put results back by sequence index, so input order is kept.
 * The plan depends only on the lengths, so the same input always gives the same batches (and vectors).
 */
final class BatchPlanner {

    private BatchPlanner() {
    }

    /** Returns micro-batches as arrays of sequence indices, shortest sequences first. */
    static List<int[]> plan(int[] lengths, int tokenBudget, int maxBatchSize) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // stable sort: equal lengths keep input order
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<int[]> batches = new ArrayList<>();
        int[] current = new int[Math.min(maxBatchSize, Math.max(1, lengths.length))];
        int count = 0;
        for (Integer idx : order) {
            int len = lengths[idx];
            // sorted ascending, so this row is the longest so far and sets the padded width
            boolean fits = count < maxBatchSize && (long) (count + 1) * len <= tokenBudget;
            if (!fits && count > 0) {
                batches.add(Arrays.copyOf(current, count));
                count = 0;
            }
            current[count++] = idx;
        }
        if (count > 0) {
            batches.add(Arrays.copyOf(current, count));
        }
        return batches;
    }
}
