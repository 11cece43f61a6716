package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Latency;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every timeout has one owner, the client: what its builder is given is what the HTTP call obeys. */
@Timeout(60)
class TimeoutOwnershipTest {

    private static final ResilienceConfig SHORT = ResilienceConfig.builder().maxAttempts(1)
            .attemptTimeout(Duration.ofMillis(800)).build();

    private FakeProviderServer server;

    @BeforeEach
    void start() {
        server = FakeProviderServer.builder().dimension(8).latency(Latency.fixed(Duration.ofSeconds(3))).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anAttemptTimeoutGivenToTheLlmClientBuilderIsTheOneTheHttpCallObeys() {
        try (LlmClient llm = LlmClient.builder(Providers.chatModel(Wire.OPENAI.config(server), "gpt-4o-mini"))
                .resilience(SHORT).build()) {
            // the provider's own 60 s would let this 3 s answer through
            assertThatThrownBy(() -> llm.complete("slow")).isInstanceOf(ProviderTimeoutException.class)
                    .hasMessageContaining("800 ms");
            assertThat(server.requestCount()).isEqualTo(1);
            assertThat(llm.stats().failuresByKind()).containsEntry("timeout", 1L);
        }
    }

    @Test
    void anAttemptTimeoutGivenToTheEmbeddingClientBuilderIsTheOneTheHttpCallObeys() {
        try (EmbeddingClient emb = EmbeddingClient.builder(
                Providers.embeddingModel(Wire.OPENAI.config(server), "text-embedding-3-small")).resilience(SHORT).build()) {
            assertThatThrownBy(() -> emb.embedMany(List.of("slow"))).isInstanceOf(ProviderTimeoutException.class)
                    .hasMessageContaining("800 ms");
            assertThat(server.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aStreamObeysTheClientsAttemptTimeoutForItsFirstByte() {
        try (LlmClient llm = LlmClient.builder(Providers.chatModel(Wire.ANTHROPIC.config(server), "claude"))
                .resilience(SHORT).build()) {
            assertThatThrownBy(() -> llm.stream("slow", dev.parallelrag.llm.CompletionOptions.defaults(), piece -> { }))
                    .isInstanceOf(ProviderTimeoutException.class).hasMessageContaining("800 ms");
        }
    }

    /** Settings that change anything but the timeout keep the provider's own default (60 s, 180 s, 120 s). */
    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void aCustomResilienceConfigKeepsTheProvidersDefaultAttemptTimeout(ProviderKind kind) {
        ProviderConfig config = ProviderConfig.builder(kind).environment(name -> null).apiKey("k")
                .baseUrl(server.baseUrl()).build();
        ResilienceConfig custom = ResilienceConfig.builder().maxAttempts(2).requestsPerMinute(600)
                .initialBackoff(Duration.ofMillis(5)).build();
        Duration expected = switch (kind) {
            case OPENAI, ANTHROPIC, GROQ, GEMINI, XAI -> Duration.ofSeconds(60);
            case OLLAMA -> Duration.ofSeconds(180);
            case COMPATIBLE -> Duration.ofSeconds(120);
        };
        try (LlmClient llm = LlmClient.builder(Providers.chatModel(config, "m")).resilience(custom).build();
             LlmClient plain = LlmClient.create(Providers.chatModel(config, "m"))) {
            assertThat(llm.resilience().attemptTimeout()).contains(expected);
            assertThat(llm.executor().timeouts().attempt()).isEqualTo(expected);
            assertThat(llm.resilience().maxAttempts()).isEqualTo(2);
            assertThat(plain.resilience().attemptTimeout()).contains(expected);
        }
        if (kind != ProviderKind.ANTHROPIC) {
            try (EmbeddingClient emb = EmbeddingClient.builder(Providers.embeddingModel(config, "e")).resilience(custom)
                    .build()) {
                assertThat(emb.executor().timeouts().attempt()).isEqualTo(expected);
            }
        }
    }

    @Test
    void anExplicitAttemptTimeoutWinsOverTheProvidersDefault() {
        ProviderConfig config = Wire.OLLAMA.config(server);
        try (LlmClient llm = LlmClient.builder(Providers.chatModel(config, "llama3.2"))
                .resilience(ResilienceConfig.builder().attemptTimeout(Duration.ofSeconds(5)).build()).build()) {
            assertThat(llm.executor().timeouts().attempt()).isEqualTo(Duration.ofSeconds(5));
        }
    }
}
