package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The facade in core finds this module's wire formats with ServiceLoader, one per format. */
class ProvidersTest {

    private static ProviderConfig config(ProviderKind kind) {
        return ProviderConfig.builder(kind).environment(name -> null).apiKey("k").baseUrl("http://127.0.0.1:9").build();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyProviderKindGetsTheModelsOfItsWireFormat(ProviderKind kind) {
        Class<?> chat = switch (kind.wire()) {
            case OPENAI -> OpenAiChatModel.class;
            case ANTHROPIC -> AnthropicChatModel.class;
            case GEMINI -> GeminiChatModel.class;
            case OLLAMA -> OllamaChatModel.class;
        };
        assertThat(Providers.chatModel(config(kind), "m")).isInstanceOf(chat);
        assertThat(Providers.chatModel(config(kind), "m").provider()).isEqualTo(kind.id());
        switch (kind.wire()) {
            case OPENAI -> assertThat(Providers.embeddingModel(config(kind), "e")).isInstanceOf(OpenAiEmbeddingModel.class);
            case GEMINI -> assertThat(Providers.embeddingModel(config(kind), "e")).isInstanceOf(GeminiEmbeddingModel.class);
            case OLLAMA -> assertThat(Providers.embeddingModel(config(kind), "e")).isInstanceOf(OllamaEmbeddingModel.class);
            case ANTHROPIC -> assertThatThrownBy(() -> Providers.embeddingModel(config(kind), "e"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("no embeddings API");
        }
    }
}
