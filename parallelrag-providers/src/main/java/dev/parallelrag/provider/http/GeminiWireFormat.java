package dev.parallelrag.provider.http;

import dev.parallelrag.provider.ProviderKind;

/** The Gemini wire format: {@link GeminiChatModel} and {@link GeminiEmbeddingModel}. Registered for {@link java.util.ServiceLoader}. */
public final class GeminiWireFormat extends HttpWireFormat {

    public GeminiWireFormat() {
        super(ProviderKind.WireFormat.GEMINI, GeminiChatModel::new, GeminiEmbeddingModel::new);
    }
}
