package dev.parallelrag.pipeline;

/**
 * Generates an answer from a system prompt and a user prompt: the seam between {@link Rag} and an LLM
 * client. Implementations throw a {@code ParallelRagException} when the provider fails after its retries.
 */
@FunctionalInterface
public interface AnswerGenerator {

    /** The generated text and its token usage. */
    record Generation(String text, Answer.Usage usage) {
    }

    Generation generate(String systemPrompt, String userPrompt);
}
