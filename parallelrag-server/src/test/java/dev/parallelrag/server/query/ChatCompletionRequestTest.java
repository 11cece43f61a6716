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
    void aMaxTokensOutsideOneToTheLimitIsRefusedNamingTheField() {
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            for (String bad : new String[] {"0", "-5", Integer.toString(CompletionOptions.MAX_TOKENS_LIMIT + 1)}) {
                assertThatThrownBy(() -> read(",\"" + field + "\":" + bad)).isInstanceOf(ValidationException.class)
                        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field))
                        .hasMessageContaining("between 1 and " + CompletionOptions.MAX_TOKENS_LIMIT);
            }
            assertThatThrownBy(() -> read(",\"" + field + "\":\"many\"")).isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
        }
    }

    @Test
    void maxCompletionTokensOrElseMaxTokensLimitsTheAnswerAndNeitherMeansTheDefault() {
        assertThat(read(",\"max_tokens\":7").maxTokens()).isEqualTo(7);
        assertThat(read(",\"max_completion_tokens\":100000").maxTokens()).isEqualTo(100_000);
        assertThat(read(",\"max_tokens\":7,\"max_completion_tokens\":9").maxTokens()).isEqualTo(9);
        assertThat(read(",\"max_tokens\":null").maxTokens()).isZero();
        assertThat(read("").maxTokens()).isZero();
        assertThat(read("").question()).isEqualTo("the slave trade");
    }
}
