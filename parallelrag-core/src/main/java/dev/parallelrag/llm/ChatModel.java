package dev.parallelrag.llm;

import java.util.function.Consumer;

/**
 * One provider chat endpoint. Each call is exactly one attempt (one HTTP request) and throws a typed
 * {@code ParallelRagException} on failure; retries, limits, stats and batching live in {@link LlmClient}.
 */
public interface ChatModel {

    /** Provider name for stats and logs, e.g. {@code openai}. */
    String provider();

    /** Model name, e.g. {@code gpt-4o-mini}. */
    String model();

    ChatResult chat(ChatRequest request);

    /** Streams the answer, calling {@code onDelta} with each piece of text as it arrives. */
    ChatResult stream(ChatRequest request, Consumer<String> onDelta);

    /** The endpoint this model talks to, for breaker names and messages (never includes a key). */
    default String endpoint() {
        return provider() + " chat " + model();
    }
}
