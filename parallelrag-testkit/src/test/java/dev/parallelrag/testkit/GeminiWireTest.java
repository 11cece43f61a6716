package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeminiWireTest {

    static FakeProviderServer server;
    static final String KEY_HEADER = "x-goog-api-key";

    @BeforeAll
    static void start() {
        server = FakeProviderServer.builder().dimension(16).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    String url(String method) {
        return server.baseUrl() + "/v1beta/models/gemini-2.5-flash:" + method;
    }

    @Test
    void generateContentAnswersWithCandidateAndUsageMetadata() {
        HttpResponse<String> r = Http.post(url("generateContent"), """
                {"systemInstruction":{"parts":[{"text":"Be brief."}]},
                 "contents":[{"role":"user","parts":[{"text":"Why is the sky blue?"}]}],
                 "generationConfig":{"maxOutputTokens":100,"temperature":0.2}}""", KEY_HEADER, "k");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = Http.json(r);
        assertThat(j.at("/candidates/0/content/parts/0/text").asText()).isEqualTo("echo: Why is the sky blue?");
        assertThat(j.at("/candidates/0/content/role").asText()).isEqualTo("model");
        assertThat(j.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
        JsonNode u = j.path("usageMetadata");
        assertThat(u.path("candidatesTokenCount").asInt()).isEqualTo(FakeContent.tokenCount("echo: Why is the sky blue?"));
        assertThat(u.path("totalTokenCount").asInt())
                .isEqualTo(u.path("promptTokenCount").asInt() + u.path("candidatesTokenCount").asInt());
    }

    @Test
    void streamGenerateContentWithAltSseSendsChunksEndingWithFinishReason() {
        HttpResponse<String> r = Http.post(url("streamGenerateContent") + "?alt=sse",
                "{\"contents\":[{\"parts\":[{\"text\":\"one two\"}]}]}", KEY_HEADER, "k");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        for (String d : OpenAiWireTest.sseData(r.body())) {
            last = Http.json(d);
            text.append(last.at("/candidates/0/content/parts/0/text").asText());
        }
        assertThat(text.toString()).isEqualTo("echo: one two");
        assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
        assertThat(last.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(4);
    }

    @Test
    void streamGenerateContentWithoutSseIsOneJsonArray() {
        HttpResponse<String> r = Http.post(url("streamGenerateContent"),
                "{\"contents\":[{\"parts\":[{\"text\":\"one two\"}]}]}", KEY_HEADER, "k");
        JsonNode arr = Http.json(r);
        assertThat(arr.isArray()).isTrue();
        assertThat(arr.size()).isEqualTo(4);
    }

    @Test
    void embedContentAndBatchEmbedContentsReturnHashVectors() {
        JsonNode one = Http.json(Http.post(url("embedContent") + "?key=k",
                "{\"model\":\"models/gemini-2.5-flash\",\"content\":{\"parts\":[{\"text\":\"hello world\"}]}}"));
        assertThat(OpenAiWireTest.floats(one.at("/embedding/values")))
                .containsExactly(FakeContent.embedding("hello world", 16));
        JsonNode batch = Http.json(Http.post(url("batchEmbedContents"), """
                {"requests":[{"model":"models/gemini-2.5-flash","content":{"parts":[{"text":"a"}]}},
                             {"model":"models/gemini-2.5-flash","content":{"parts":[{"text":"b"}]},"outputDimensionality":16}]}""",
                KEY_HEADER, "k"));
        assertThat(batch.path("embeddings")).hasSize(2);
        assertThat(OpenAiWireTest.floats(batch.at("/embeddings/1/values"))).containsExactly(FakeContent.embedding("b", 16));
    }

    @Test
    void batchRequestModelMustMatchThePath() {
        HttpResponse<String> r = Http.post(url("batchEmbedContents"),
                "{\"requests\":[{\"model\":\"models/other\",\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}", KEY_HEADER, "k");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void missingKeyIsPermissionDenied() {
        HttpResponse<String> r = Http.post(url("generateContent"), "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Http.json(r).at("/error/status").asText()).isEqualTo("PERMISSION_DENIED");
    }
}
