package dev.parallelrag.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups texts into request batches bounded by item count and by estimated token count, keeping input
 * order. A single text over the token budget gets a batch of its own (the provider then decides).
 */
final class EmbeddingBatcher {

    /** Positions (into the caller's list) of the texts of one request, with their estimated tokens. */
    record Batch(List<Integer> indices, long tokens) {
    }

    private EmbeddingBatcher() {
    }

    static List<Batch> plan(List<Integer> indices, long[] tokensByIndex, int maxItems, long maxTokens) {
        List<Batch> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long currentTokens = 0;
        for (int i : indices) {
            long t = tokensByIndex[i];
            if (!current.isEmpty() && (current.size() >= maxItems || currentTokens + t > maxTokens)) {
                batches.add(new Batch(List.copyOf(current), currentTokens));
                current.clear();
                currentTokens = 0;
            }
            current.add(i);
            currentTokens += t;
        }
        if (!current.isEmpty()) {
            batches.add(new Batch(List.copyOf(current), currentTokens));
        }
        return batches;
    }
}
