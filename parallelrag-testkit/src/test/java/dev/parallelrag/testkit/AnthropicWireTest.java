package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicWireTest {

    static FakeProviderServer server;

    @BeforeAll
    static void start() {
        server = FakeProviderServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    String url() {
        return server.baseUrl() + "/v1/messages";
    }

    @Test
    void messageAnswersWithTextBlockAndUsage() {
        HttpResponse<String> r = Http.post(url(), """
                {"model":"claude-sonnet-4-5","max_tokens":100,"system":"Be brief.",
                 "messages":[{"role":"user","content":[{"type":"text","text":"Name a colour"}]}]}""", Http.anthropic());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = Http.json(r);
        assertThat(j.path("type").asText()).isEqualTo("message");
        assertThat(j.path("role").asText()).isEqualTo("assistant");
        assertThat(j.at("/content/0/type").asText()).isEqualTo("text");
        assertThat(j.at("/content/0/text").asText()).isEqualTo("echo: Name a colour");
        assertThat(j.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(j.at("/usage/input_tokens").asInt()).isEqualTo(FakeContent.promptTokens(List.of("Be brief.", "Name a colour")));
        assertThat(j.at("/usage/output_tokens").asInt()).isEqualTo(FakeContent.tokenCount("echo: Name a colour"));
    }

    @Test
    void streamEmitsTheDocumentedEventSequence() {
        HttpResponse<String> r = Http.post(url(), """
                {"model":"claude","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi there"}]}""",
                Http.anthropic());
        List<String> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int outputTokens = -1;
        String[] lines = r.body().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("event: ")) {
                String event = lines[i].substring(7);
                JsonNode data = Http.json(lines[i + 1].substring(6));
                assertThat(data.path("type").asText()).isEqualTo(event);
                if (!events.contains(event)) {
                    events.add(event);
                }
                if (event.equals("content_block_delta")) {
                    text.append(data.at("/delta/text").asText());
                }
                if (event.equals("message_delta")) {
                    outputTokens = data.at("/usage/output_tokens").asInt();
                    assertThat(data.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
                }
            }
        }
        assertThat(events).containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");
        assertThat(text.toString()).isEqualTo("echo: Hi there");
        assertThat(outputTokens).isEqualTo(FakeContent.tokenCount("echo: Hi there"));
    }

    @Test
    void maxTokensStopsWithMaxTokensReason() {
        JsonNode j = Http.json(Http.post(url(), """
                {"model":"c","max_tokens":2,"messages":[{"role":"user","content":"a b c d"}]}""", Http.anthropic()));
        assertThat(j.path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(j.at("/content/0/text").asText()).isEqualTo("echo:");
    }

    @Test
    void headersAndRequiredFieldsAreChecked() {
        String body = "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        HttpResponse<String> noKey = Http.post(url(), body, "anthropic-version", "2023-06-01");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(Http.json(noKey).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(Http.json(noKey).path("type").asText()).isEqualTo("error");
        HttpResponse<String> noVersion = Http.post(url(), body, "x-api-key", "k");
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(Http.json(noVersion).at("/error/message").asText()).contains("anthropic-version");
        HttpResponse<String> noMax = Http.post(url(),
                "{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Http.anthropic());
        assertThat(noMax.statusCode()).isEqualTo(400);
        assertThat(Http.json(noMax).at("/error/message").asText()).contains("max_tokens");
    }

    @Test
    void overloadedFaultUsesAnthropicErrorType() {
        try (FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.status(529))).start()) {
            HttpResponse<String> r = Http.post(s.baseUrl() + "/v1/messages",
                    "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                    Http.anthropic());
            assertThat(r.statusCode()).isEqualTo(529);
            assertThat(Http.json(r).at("/error/type").asText()).isEqualTo("overloaded_error");
        }
    }
}
