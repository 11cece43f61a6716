package dev.parallelrag.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.CompletionOptions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the chat route takes from a request, and what it refuses rather than ignore. */
class ChatCompletionRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChatCompletionRequest read(String extra) {
        String body = "{\"model\":\"parallelrag\",\"messages\":[{\"role\":\"user\",\"content\":\"the slave trade\"}]"
                + extra + "}";
        return ChatCompletionRequest.read(JsonFields.parse(JSON, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMaxTokensBelowTheEnginesAnswerLimitIsRefusedNamingTheField() {
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            assertThatThrownBy(() -> read(",\"" + field + "\":" + (CompletionOptions.DEFAULT_MAX_TOKENS - 1)))
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field))
                    .hasMessageContaining("at least " + CompletionOptions.DEFAULT_MAX_TOKENS);
            assertThatThrownBy(() -> read(",\"" + field + "\":\"many\"")).isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
        }
    }

    @Test
    void aMaxTokensTheEnginesLimitAlreadyHoldsIsAccepted() {
        assertThat(read(",\"max_tokens\":" + CompletionOptions.DEFAULT_MAX_TOKENS).question()).isEqualTo("the slave trade");
        assertThat(read(",\"max_completion_tokens\":100000").question()).isEqualTo("the slave trade");
        assertThat(read("").question()).isEqualTo("the slave trade");
    }
}
