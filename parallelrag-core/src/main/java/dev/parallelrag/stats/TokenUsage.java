package dev.parallelrag.stats;

/**
 * Tokens used by one request, as reported by the provider (or estimated when it reports none).
 *
 * @param promptTokens     input tokens
 * @param completionTokens output tokens (0 for embeddings)
 * @param totalTokens      as reported; the sum when the provider gives no total
 */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    public static TokenUsage of(long promptTokens, long completionTokens) {
        return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens);
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens);
    }
}
