package dev.parallelrag.stats;

/**
 * Requests that the first candidate of a failover list did not serve, per candidate that served them instead.
 *
 * @param from  the first (preferred) candidate, e.g. {@code openai:gpt-4o}
 * @param to    the candidate that served them, e.g. {@code anthropic:claude-3-5-haiku-latest}
 * @param count how many requests
 */
public record FailoverCount(String from, String to, long count) {
}
