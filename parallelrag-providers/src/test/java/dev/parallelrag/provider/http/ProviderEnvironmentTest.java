package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.RecordedRequest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every provider's environment variables take effect: with nothing given to the builder, a call goes to the
 * URL in the provider's base-URL variable and carries the key from its key variable.
 */
class ProviderEnvironmentTest {

    private FakeProviderServer server;

    @BeforeEach
    void start() {
        server = FakeProviderServer.builder().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void keyAndBaseUrlVariablesReachTheServer(ProviderKind kind) {
        Map<String, String> env = new HashMap<>();
        String key = "env-key-for-" + kind.id();
        if (kind.apiKeyEnv() != null) {
            env.put(kind.apiKeyEnv(), key);
        }
        env.put(kind.baseUrlEnv(), kind.wire() == ProviderKind.WireFormat.OPENAI ? server.openAiBaseUrl() : server.baseUrl());
        ProviderConfig config = ProviderConfig.builder(kind).environment(env::get).build();

        try (LlmClient llm = Wire.llm(config, "some-model", Wire.FAST)) {
            assertThat(llm.complete("hello from the environment")).isNotBlank();
        }

        assertThat(server.requests()).hasSize(1);
        RecordedRequest request = server.requests().get(0);
        if (kind.apiKeyEnv() != null) {
            assertThat(request.headers().toString() + " " + request.query()).contains(key);
        }
    }
}
