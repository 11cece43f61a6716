package dev.parallelrag.provider.http;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.spi.WireFormatProvider;

/** The Ollama wire format: {@link OllamaChatModel} and {@link OllamaEmbeddingModel}. Registered for {@link java.util.ServiceLoader}. */
public final class OllamaWireFormat implements WireFormatProvider {

    @Override
    public ProviderKind.WireFormat wireFormat() {
        return ProviderKind.WireFormat.OLLAMA;
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new OllamaChatModel(config, model);
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return new OllamaEmbeddingModel(config, model);
    }
}
