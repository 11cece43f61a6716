package dev.parallelrag.provider.http;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.spi.WireFormatProvider;

/** The Anthropic Messages wire format: {@link AnthropicChatModel}. Registered for {@link java.util.ServiceLoader}. */
public final class AnthropicWireFormat implements WireFormatProvider {

    @Override
    public ProviderKind.WireFormat wireFormat() {
        return ProviderKind.WireFormat.ANTHROPIC;
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new AnthropicChatModel(config, model);
    }

    /** Anthropic has no embeddings API. */
    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        throw new ValidationException("provider", config.kind().id(),
                "has no embeddings API; use openai, gemini, ollama or compatible for embeddings");
    }
}
