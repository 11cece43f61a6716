package dev.parallelrag.provider.http;

import dev.parallelrag.provider.ProviderKind;

/** The OpenAI wire format (also Groq, xAI and compatible servers): {@link OpenAiChatModel} and {@link OpenAiEmbeddingModel}. Registered for {@link java.util.ServiceLoader}. */
public final class OpenAiWireFormat extends HttpWireFormat {

    public OpenAiWireFormat() {
        super(ProviderKind.WireFormat.OPENAI, OpenAiChatModel::new, OpenAiEmbeddingModel::new);
    }
}
