package dev.parallelrag.provider.http;

import dev.parallelrag.provider.ProviderKind;

/** The Ollama wire format: {@link OllamaChatModel} and {@link OllamaEmbeddingModel}. Registered for {@link java.util.ServiceLoader}. */
public final class OllamaWireFormat extends HttpWireFormat {

    public OllamaWireFormat() {
        super(ProviderKind.WireFormat.OLLAMA, OllamaChatModel::new, OllamaEmbeddingModel::new);
    }
}
