package dev.parallelrag.provider.http;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.spi.WireFormatProvider;

/** The OpenAI wire format (also Groq, xAI and compatible servers): {@link OpenAiChatModel} and {@link OpenAiEmbeddingModel}. Registered for {@link java.util.ServiceLoader}. */
public final class OpenAiWireFormat implements WireFormatProvider {

    @Override
    public ProviderKind.WireFormat wireFormat() {
        return ProviderKind.WireFormat.OPENAI;
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new OpenAiChatModel(config, model);
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return new OpenAiEmbeddingModel(config, model);
    }
}
