package dev.parallelrag.provider;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Core has no wire format of its own: without parallelrag-providers on the class path, Providers says what to add. */
class ProvidersWithoutWireFormatsTest {

    @Test
    void aMissingImplementationIsAClearErrorNamingTheModuleToAdd() {
        ProviderConfig config = ProviderConfig.builder(ProviderKind.GROQ).environment(name -> null).apiKey("k").build();
        assertThatThrownBy(() -> Providers.chatModel(config, "llama-3.1-8b-instant"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("openai wire format").hasMessageContaining("provider groq")
                .hasMessageContaining("dev.parallelrag:parallelrag-providers");
        assertThatThrownBy(() -> Providers.embeddingClient(config, "e")).isInstanceOf(IllegalStateException.class);
    }
}
