package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.testkit.FakeProviderServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ProviderConfig.Builder#header} and {@link ProviderConfig.Builder#connectTimeout} reach the connection. */
class ProviderSettingsTest {

    @Test
    void connectTimeoutIsTheHttpClientsConnectTimeout() {
        ProviderConfig standard = ProviderConfig.builder(ProviderKind.OLLAMA).environment(name -> null).build();
        ProviderConfig quick = ProviderConfig.builder(ProviderKind.OLLAMA).environment(name -> null)
                .connectTimeout(Duration.ofMillis(1500)).build();

        assertThat(SharedHttpClients.forConfig(standard).connectTimeout()).contains(ProviderConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(SharedHttpClients.forConfig(quick).connectTimeout()).contains(Duration.ofMillis(1500));
    }

    @Test
    void headerIsSentWithEveryRequest() {
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            for (Wire wire : Wire.values()) {
                ProviderConfig config = ProviderConfig.builder(wire.kind).environment(name -> null)
                        .apiKey(Wire.KEY).header("X-Gateway-Tenant", "tenant-" + wire)
                        .baseUrl(wire.kind == ProviderKind.OPENAI ? server.openAiBaseUrl() : server.baseUrl()).build();
                try (LlmClient llm = Wire.llm(config, wire.chatModel, Wire.FAST)) {
                    llm.complete("hello");
                }
                assertThat(server.requests().get(server.requests().size() - 1).header("X-Gateway-Tenant"))
                        .as(wire.name()).contains("tenant-" + wire);
            }
        }
    }
}
