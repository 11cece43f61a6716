package dev.parallelrag.provider.spi;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;

/**
 * One provider wire format (OpenAI, Anthropic, Gemini, Ollama): makes the chat and embedding models that
 * speak it. Implementations live outside core (the {@code parallelrag-providers} module has the four) and
 * are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.parallelrag.provider.spi.WireFormatProvider}. {@code Providers} picks the
 * one whose {@link #wireFormat()} matches a config's {@link ProviderKind#wire()}.
 *
 * <p>Each model call is one attempt; the clients that wrap the models add retries and limits, and publish
 * the attempt's timeouts ({@code AttemptTimeouts}), which a model is expected to enforce.
 */
public interface WireFormatProvider {

    /** The wire format this implementation speaks. */
    ProviderKind.WireFormat wireFormat();

    /** A chat model for {@code model} at the config's endpoint. */
    ChatModel chatModel(ProviderConfig config, String model);

    /**
     * An embedding model for {@code model} at the config's endpoint.
     *
     * @throws dev.parallelrag.error.ValidationException when the wire format has no embeddings API
     */
    EmbeddingModel embeddingModel(ProviderConfig config, String model);
}
