package dev.parallelrag.provider;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.LlmClient;

/**
 * Small factories: the right model class for a provider, and ready clients.
 *
 * <pre>{@code
 * LlmClient llm = Providers.llmClient(ProviderConfig.fromEnvironment(ProviderKind.ANTHROPIC), "claude-3-5-haiku-latest");
 * EmbeddingClient emb = Providers.embeddingClient(ProviderConfig.builder(ProviderKind.OPENAI)
 *         .baseUrl("http://localhost:8080").apiKey("test").build(), "text-embedding-3-small");
 * }</pre>
 */
public final class Providers {

    private Providers() {
    }

    /** The chat model for the config's wire format. */
    public static ChatModel chatModel(ProviderConfig config, String model) {
        return switch (config.kind().wire()) {
            case OPENAI -> new OpenAiChatModel(config, model);
            case ANTHROPIC -> new AnthropicChatModel(config, model);
            case GEMINI -> new GeminiChatModel(config, model);
            case OLLAMA -> new OllamaChatModel(config, model);
        };
    }

    /** The embedding model for the config's wire format; Anthropic has no embeddings API. */
    public static EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return switch (config.kind().wire()) {
            case OPENAI -> new OpenAiEmbeddingModel(config, model);
            case GEMINI -> new GeminiEmbeddingModel(config, model);
            case OLLAMA -> new OllamaEmbeddingModel(config, model);
            case ANTHROPIC -> throw new ValidationException("provider", config.kind().id(),
                    "has no embeddings API; use openai, gemini, ollama or compatible for embeddings");
        };
    }

    public static LlmClient llmClient(ProviderConfig config, String model) {
        return LlmClient.create(chatModel(config, model));
    }

    /** A client for a provider configured from the environment. */
    public static LlmClient llmClient(ProviderKind kind, String model) {
        return llmClient(ProviderConfig.fromEnvironment(kind), model);
    }

    public static EmbeddingClient embeddingClient(ProviderConfig config, String model) {
        return EmbeddingClient.create(embeddingModel(config, model));
    }

    public static EmbeddingClient embeddingClient(ProviderKind kind, String model) {
        return embeddingClient(ProviderConfig.fromEnvironment(kind), model);
    }
}
