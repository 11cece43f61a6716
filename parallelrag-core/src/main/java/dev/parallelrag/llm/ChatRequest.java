package dev.parallelrag.llm;

import java.util.List;
import java.util.Objects;

/** What a {@link ChatModel} sends: the conversation (system prompt first, if any) and the options. */
public record ChatRequest(List<ChatMessage> messages, CompletionOptions options) {

    public ChatRequest {
        messages = List.copyOf(messages);
        Objects.requireNonNull(options, "options");
    }

    /** The system prompt: the options' one, else the first system message, else empty. */
    public String systemPrompt() {
        return options.system().orElseGet(() -> messages.stream().filter(m -> m.role() == Role.SYSTEM)
                .map(ChatMessage::content).findFirst().orElse(""));
    }

    /** The messages without system ones (for APIs that take the system prompt apart). */
    public List<ChatMessage> conversation() {
        return messages.stream().filter(m -> m.role() != Role.SYSTEM).toList();
    }
}
