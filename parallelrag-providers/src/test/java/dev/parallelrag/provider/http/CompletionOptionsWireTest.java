package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.testkit.FakeProviderServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The completion options reach every provider's request: each value set away from its default appears in the
 * body the fake server received, in that provider's own field, and none appears when it is not set.
 */
class CompletionOptionsWireTest {

    private FakeProviderServer server;

    @BeforeEach
    void start() {
        server = FakeProviderServer.builder().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String bodyOf(Wire wire, CompletionOptions options) {
        try (LlmClient llm = Wire.llm(wire.config(server), wire.chatModel, Wire.FAST)) {
            llm.completeFull("what is parallel RAG?", options);
        }
        List<String> bodies = server.requests().stream().map(r -> r.body()).toList();
        server.reset();
        return bodies.get(bodies.size() - 1);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void everyOptionReachesTheRequestBody(Wire wire) {
        String body = bodyOf(wire, CompletionOptions.builder().maxTokens(4321).temperature(0.37)
                .system("SYSTEM-PROMPT-MARK").stop(List.of("STOP-MARK")).build());

        assertThat(body).contains("4321").contains("0.37").contains("SYSTEM-PROMPT-MARK").contains("STOP-MARK");

        String plain = bodyOf(wire, CompletionOptions.defaults());
        assertThat(plain).contains(String.valueOf(CompletionOptions.DEFAULT_MAX_TOKENS))
                .doesNotContain("0.37").doesNotContain("SYSTEM-PROMPT-MARK").doesNotContain("STOP-MARK");
    }
}
