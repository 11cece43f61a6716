package dev.parallelrag.embed;

import dev.parallelrag.error.ValidationException;

/**
 * Options of one {@link EmbeddingClient#embedBatchParallel} call.
 *
 * @param concurrency    batches in flight at once, at least 1
 * @param batchSize      texts per request; 0 uses the model's {@link EmbeddingModel#maxBatchSize()}; never more than that
 * @param maxBatchTokens estimated tokens per request; 0 uses the model's {@link EmbeddingModel#maxBatchTokens()}
 */
public record EmbedOptions(int concurrency, int batchSize, int maxBatchTokens) {

    public EmbedOptions {
        if (concurrency < 1) {
            throw new ValidationException("concurrency", concurrency, "must be at least 1");
        }
        if (batchSize < 0) {
            throw new ValidationException("batchSize", batchSize, "must be 0 (model default) or positive");
        }
        if (maxBatchTokens < 0) {
            throw new ValidationException("maxBatchTokens", maxBatchTokens, "must be 0 (model default) or positive");
        }
    }

    public static EmbedOptions concurrency(int concurrency) {
        return new EmbedOptions(concurrency, 0, 0);
    }

    public EmbedOptions withBatchSize(int batchSize) {
        return new EmbedOptions(concurrency, batchSize, maxBatchTokens);
    }

    public EmbedOptions withMaxBatchTokens(int maxBatchTokens) {
        return new EmbedOptions(concurrency, batchSize, maxBatchTokens);
    }
}
