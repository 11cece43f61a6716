package dev.parallelrag.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The text form of {@code --fallback-llm}, and what its errors may repeat of it. */
class ChatModelSpecTest {

    @Test
    void everyPartIsRead() {
        ChatModelSpec spec = ChatModelSpec.parse("compatible:llama3.2:1b@http://10.0.0.5:8000/v1#BACKUP_KEY");
        assertThat(spec.kind()).isEqualTo(ProviderKind.fromId("compatible"));
        assertThat(spec.model()).isEqualTo("llama3.2:1b");
        assertThat(spec.baseUrl()).contains("http://10.0.0.5:8000/v1");
        assertThat(spec.keyVariable()).contains("BACKUP_KEY");
        assertThat(ChatModelSpec.parse("openai").model()).isEqualTo(ProviderKind.fromId("openai").defaultChatModel());
        assertThat(ChatModelSpec.parse("openai:gpt-4o-mini").baseUrl()).isEqualTo(Optional.empty());
    }

    @Test
    void aKeyPastedAfterTheHashIsRefusedWithoutBeingRepeated() {
        assertThatThrownBy(() -> ChatModelSpec.parse("openai:gpt-4o-mini#sk-proj-SECRET123/+x"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("#(hidden)").hasMessageContaining("environment variable name")
                .hasMessageNotContaining("SECRET123");
    }

    @Test
    void thePasswordOfABaseUrlIsNotRepeatedInAnError() {
        assertThatThrownBy(() -> ChatModelSpec.parse("compatible:@http://alice:hunter2@10.0.0.5/v1#"))
                .isInstanceOf(ValidationException.class)
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("alice")
                .hasMessageContaining("http://10.0.0.5/v1");
        assertThat(ChatModelSpec.parse("compatible:m@http://alice:hunter2@10.0.0.5/v1").toString())
                .doesNotContain("hunter2");
    }
}
