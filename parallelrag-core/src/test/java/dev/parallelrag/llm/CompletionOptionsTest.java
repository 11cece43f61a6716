package dev.parallelrag.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import org.junit.jupiter.api.Test;

class CompletionOptionsTest {

    @Test
    void validatesEachFieldNamingItAndTheRule() {
        assertThatThrownBy(() -> CompletionOptions.builder().maxTokens(0).build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("max_tokens").hasMessageContaining("1 and 100000");
        assertThatThrownBy(() -> CompletionOptions.builder().maxTokens(100_001).build()).hasMessageContaining("max_tokens");
        assertThatThrownBy(() -> CompletionOptions.builder().temperature(2.1).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> CompletionOptions.builder().temperature(-0.1).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> CompletionOptions.builder().temperature(Double.NaN).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> CompletionOptions.builder().concurrency(0)).hasMessageContaining("concurrency");
        CompletionOptions ok = CompletionOptions.builder().maxTokens(100_000).temperature(2.0).concurrency(1).build();
        assertThat(ok.maxTokens()).isEqualTo(100_000);
    }
}
