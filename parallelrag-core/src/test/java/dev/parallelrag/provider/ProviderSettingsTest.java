package dev.parallelrag.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.testkit.FakeProviderServer;
import org.junit.jupiter.api.Test;

/** {@link ProviderConfig.Builder#header} reaches every request of every wire format. */
class ProviderSettingsTest {

    @Test
    void headerIsSentWithEveryRequest() {
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            for (Wire wire : Wire.values()) {
                ProviderConfig config = ProviderConfig.builder(wire.kind).environment(name -> null).resilience(Wire.FAST)
                        .apiKey(Wire.KEY).header("X-Gateway-Tenant", "tenant-" + wire)
                        .baseUrl(wire.kind == ProviderKind.OPENAI ? server.openAiBaseUrl() : server.baseUrl()).build();
                try (LlmClient llm = Providers.llmClient(config, wire.chatModel)) {
                    llm.complete("hello");
                }
                assertThat(server.requests().get(server.requests().size() - 1).header("X-Gateway-Tenant"))
                        .as(wire.name()).contains("tenant-" + wire);
            }
        }
    }
}
