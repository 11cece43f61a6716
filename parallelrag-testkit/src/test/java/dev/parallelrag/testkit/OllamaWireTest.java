package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OllamaWireTest {

    static FakeProviderServer server;

    @BeforeAll
    static void start() {
        server = FakeProviderServer.builder().dimension(8).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void chatStreamsNdjsonByDefault() {
        HttpResponse<String> r = Http.post(server.baseUrl() + "/api/chat",
                "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"why so\"}]}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        String[] lines = r.body().split("\n");
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(Http.json(line).at("/message/content").asText());
        }
        JsonNode last = Http.json(lines[lines.length - 1]);
        assertThat(text.toString()).isEqualTo("echo: why so");
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asText()).isEqualTo("stop");
        assertThat(last.path("eval_count").asInt()).isEqualTo(4);
        assertThat(Http.json(lines[0]).path("done").asBoolean()).isFalse();
    }

    @Test
    void chatWithStreamFalseIsOneObject() {
        JsonNode j = Http.json(Http.post(server.baseUrl() + "/api/chat",
                "{\"model\":\"m\",\"stream\":false,\"options\":{\"num_predict\":2},\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}"));
        assertThat(j.at("/message/content").asText()).isEqualTo("echo:");
        assertThat(j.path("done_reason").asText()).isEqualTo("length");
        assertThat(j.path("prompt_eval_count").asInt()).isEqualTo(FakeContent.promptTokens(java.util.List.of("a b c")));
    }

    @Test
    void embedAcceptsStringOrArray() {
        JsonNode one = Http.json(Http.post(server.baseUrl() + "/api/embed", "{\"model\":\"m\",\"input\":\"x y\"}"));
        assertThat(one.path("embeddings")).hasSize(1);
        JsonNode many = Http.json(Http.post(server.baseUrl() + "/api/embed", "{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"]}"));
        assertThat(many.path("embeddings")).hasSize(3);
        assertThat(OpenAiWireTest.floats(many.at("/embeddings/2"))).containsExactly(FakeContent.embedding("c", 8));
    }

    @Test
    void streamChunkDelaySpacesTheLinesOut() throws Exception {
        try (FakeProviderServer slow = FakeProviderServer.builder().streamChunkDelay(java.time.Duration.ofMillis(150)).start()) {
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(slow.baseUrl() + "/api/chat"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}")).build();
            var lines = Http.CLIENT.send(req, java.net.http.HttpResponse.BodyHandlers.ofLines()).body().iterator();
            lines.next();
            long first = System.nanoTime();
            while (lines.hasNext()) {
                lines.next();
            }
            // 5 lines after the first, each 150 ms later: the last arrives well after the first
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - first)).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(500));
        }
    }

    @Test
    void missingModelIsAnOllamaError() {
        HttpResponse<String> r = Http.post(server.baseUrl() + "/api/embed", "{\"input\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).path("error").asText()).contains("model");
    }
}
