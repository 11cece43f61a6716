package dev.parallelrag.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

    private static ProviderConfig.Builder withEnv(ProviderKind kind, Map<String, String> env) {
        return ProviderConfig.builder(kind).environment(env::get);
    }

    @Test
    void keyAndBaseUrlComeFromTheEnvironmentAndTheVersionPathIsAdded() {
        ProviderConfig c = withEnv(ProviderKind.OPENAI, Map.of("OPENAI_API_KEY", "sk-env", "OPENAI_BASE_URL",
                "http://127.0.0.1:9999")).build();
        assertThat(c.hasApiKey()).isTrue();
        assertThat(c.baseUrl()).hasToString("http://127.0.0.1:9999/v1");
        assertThat(c.connectTimeout()).isEqualTo(ProviderConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(withEnv(ProviderKind.GEMINI, Map.of("GEMINI_API_KEY", "g")).build().baseUrl())
                .hasToString("https://generativelanguage.googleapis.com/v1beta");
        assertThat(withEnv(ProviderKind.ANTHROPIC, Map.of("ANTHROPIC_API_KEY", "a", "ANTHROPIC_BASE_URL",
                "https://gw.example.com/anthropic/")).build().baseUrl()).hasToString("https://gw.example.com/anthropic");
    }

    @Test
    void ollamaHostMayLackAScheme() {
        ProviderConfig c = withEnv(ProviderKind.OLLAMA, Map.of("OLLAMA_HOST", "10.0.0.5:11434")).build();
        assertThat(c.baseUrl()).hasToString("http://10.0.0.5:11434/api");
        assertThat(c.hasApiKey()).isFalse();
    }

    @Test
    void aConnectTimeoutMustBePositive() {
        assertThat(withEnv(ProviderKind.OLLAMA, Map.of()).connectTimeout(Duration.ofSeconds(2)).build().connectTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> withEnv(ProviderKind.OLLAMA, Map.of()).connectTimeout(Duration.ZERO))
                .isInstanceOf(ValidationException.class).hasMessageContaining("connectTimeout");
    }

    @Test
    void builderValuesWinOverTheEnvironment() {
        ProviderConfig c = withEnv(ProviderKind.GROQ, Map.of("GROQ_API_KEY", "env")).baseUrl("http://localhost:1234")
                .apiKey("explicit").build();
        assertThat(c.baseUrl()).hasToString("http://localhost:1234/v1");
        assertThat(c.apiKey().orElseThrow().value()).isEqualTo("explicit");
    }

    @Test
    void aMissingKeyFailsAtConstructionNamingTheVariable() {
        assertThatThrownBy(() -> withEnv(ProviderKind.XAI, Map.of()).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("XAI_API_KEY");
        assertThatThrownBy(() -> withEnv(ProviderKind.ANTHROPIC, Map.of()).build())
                .hasMessageContaining("ANTHROPIC_API_KEY");
        assertThatThrownBy(() -> withEnv(ProviderKind.COMPATIBLE, Map.of()).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("OPENAI_BASE_URL");
    }

    @Test
    void badValuesAreValidationErrors() {
        assertThatThrownBy(() -> withEnv(ProviderKind.OLLAMA, Map.of()).baseUrl("ftp://x").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> ProviderKind.fromId("openia")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("openai, groq, xai, compatible, anthropic, gemini, ollama");
        assertThat(ProviderKind.fromId(" Gemini ")).isEqualTo(ProviderKind.GEMINI);
    }
}
