package dev.parallelrag.provider.http;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.testkit.FakeProviderServer;
import java.time.Duration;

/** The four wire formats as contract-test parameters: how to point a config at the fake server. */
enum Wire {
    OPENAI(ProviderKind.OPENAI, "gpt-4o-mini", "text-embedding-3-small"),
    ANTHROPIC(ProviderKind.ANTHROPIC, "claude-3-5-haiku-latest", null),
    GEMINI(ProviderKind.GEMINI, "gemini-2.0-flash", "text-embedding-004"),
    OLLAMA(ProviderKind.OLLAMA, "llama3.2", "nomic-embed-text");

    static final String KEY = "test-key-123";

    /** Small waits so fault tests run in milliseconds; everything else at its default. */
    static final ResilienceConfig FAST = ResilienceConfig.builder()
            .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(10))
            .attemptTimeout(Duration.ofSeconds(10)).build();

    final ProviderKind kind;
    final String chatModel;
    final String embeddingModel;

    Wire(ProviderKind kind, String chatModel, String embeddingModel) {
        this.kind = kind;
        this.chatModel = chatModel;
        this.embeddingModel = embeddingModel;
    }

    ProviderConfig config(FakeProviderServer server) {
        return config(server, KEY);
    }

    ProviderConfig config(FakeProviderServer server, String key) {
        ProviderConfig.Builder b = ProviderConfig.builder(kind).environment(name -> null)
                .baseUrl(kind == ProviderKind.OPENAI ? server.openAiBaseUrl() : server.baseUrl());
        if (key != null) {
            b.apiKey(key);
        }
        return b.build();
    }

    /** A client for this wire's chat model with the given settings. */
    static LlmClient llm(ProviderConfig config, String model, ResilienceConfig resilience) {
        return LlmClient.builder(Providers.chatModel(config, model)).resilience(resilience).build();
    }

    /** A client for an embedding model with the given settings. */
    static EmbeddingClient embeddings(ProviderConfig config, String model, ResilienceConfig resilience) {
        return EmbeddingClient.builder(Providers.embeddingModel(config, model)).resilience(resilience).build();
    }

    boolean embeds() {
        return embeddingModel != null;
    }
}
