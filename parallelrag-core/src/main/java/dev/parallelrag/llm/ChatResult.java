package dev.parallelrag.llm;

import dev.parallelrag.stats.TokenUsage;

/**
 * What one successful attempt returned.
 *
 * @param content      generated text
 * @param model        model that answered, as reported by the provider
 * @param id           response id ({@code ""} when the provider gives none)
 * @param finishReason why generation stopped, as the provider says it ({@code stop}, {@code length},
 *                     {@code end_turn}, {@code STOP}, ...), or {@code ""}
 * @param usage        token usage
 */
public record ChatResult(String content, String model, String id, String finishReason, TokenUsage usage) {
}
