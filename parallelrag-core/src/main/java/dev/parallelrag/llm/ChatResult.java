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
 * @param servedBy     which client served it, as {@code provider:model}, when an {@code LlmClient} answered (with
 *                     fallbacks, the candidate that did; see {@code Completion#servedBy}); {@code ""} from a bare model
 */
public record ChatResult(String content, String model, String id, String finishReason, TokenUsage usage,
                         String servedBy) {

    /** What a model returns: nothing says yet which client served it. */
    public ChatResult(String content, String model, String id, String finishReason, TokenUsage usage) {
        this(content, model, id, finishReason, usage, "");
    }

    /**
     * Whether the model stopped at its output-token limit: {@code length} (OpenAI and compatible servers, Ollama),
     * {@code max_tokens} (Anthropic), {@code MAX_TOKENS} (Gemini).
     */
    public boolean truncated() {
        return "length".equalsIgnoreCase(finishReason) || "max_tokens".equalsIgnoreCase(finishReason);
    }
}
