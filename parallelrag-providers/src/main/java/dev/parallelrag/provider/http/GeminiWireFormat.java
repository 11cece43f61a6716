package dev.parallelrag.provider.http;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.spi.WireFormatProvider;

/** The Gemini wire format: {@link GeminiChatModel} and {@link GeminiEmbeddingModel}. Registered for {@link java.util.ServiceLoader}. */
public final class GeminiWireFormat implements WireFormatProvider {

    @Override
    public ProviderKind.WireFormat wireFormat() {
        return ProviderKind.WireFormat.GEMINI;
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new GeminiChatModel(config, model);
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return new GeminiEmbeddingModel(config, model);
    }
}
