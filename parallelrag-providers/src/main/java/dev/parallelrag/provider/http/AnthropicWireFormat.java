package dev.parallelrag.provider.http;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.provider.ProviderKind;

/** The Anthropic Messages wire format: {@link AnthropicChatModel}; Anthropic has no embeddings API. */
public final class AnthropicWireFormat extends HttpWireFormat {

    public AnthropicWireFormat() {
        super(ProviderKind.WireFormat.ANTHROPIC, AnthropicChatModel::new, (config, model) -> {
            throw new ValidationException("provider", config.kind().id(),
                    "has no embeddings API; use openai, gemini, ollama or compatible for embeddings");
        });
    }
}
