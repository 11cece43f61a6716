package dev.parallelrag.provider.http;

import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.stats.TokenUsage;

/** What a stream has told us so far; one per streamed call, used by one reader thread. */
final class StreamState {
    final StringBuilder content = new StringBuilder();
    String model;
    String id = "";
    String finishReason = "";
    TokenUsage usage = TokenUsage.NONE;
    long promptTokens;
    boolean done;

    StreamState(String model) {
        this.model = model;
    }

    ChatResult result() {
        return new ChatResult(content.toString(), model, id, finishReason, usage);
    }
}
