package dev.parallelrag.llm;

import dev.parallelrag.stats.TokenUsage;
import java.time.Duration;

/**
 * A finished completion request.
 *
 * @param content      generated text
 * @param model        model that answered
 * @param id           provider's response id, or {@code ""}
 * @param finishReason why generation stopped, or {@code ""}
 * @param usage        prompt, completion and total tokens
 * @param latency      end-to-end time including retries and waits
 * @param attempts     attempts made (1 when the first one succeeded), at every candidate together
 * @param servedBy     the client that gave the answer, as {@code provider:model} (e.g. {@code openai:gpt-4o-mini});
 *                     with fallbacks, the candidate that served it ({@code #position} added where two candidates
 *                     share a name)
 */
public record Completion(String content, String model, String id, String finishReason, TokenUsage usage,
                         Duration latency, int attempts, String servedBy) {
}
