package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiWireTest {

    static FakeProviderServer server;

    @BeforeAll
    static void start() {
        server = FakeProviderServer.builder().dimension(8).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    String chatUrl() {
        return server.openAiBaseUrl() + "/chat/completions";
    }

    @Test
    void chatCompletionEchoesTheLastUserMessageWithConsistentUsage() {
        HttpResponse<String> r = Http.post(chatUrl(), """
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"What is the capital of France?"}]}""", Http.bearer());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = Http.json(r);
        assertThat(j.path("object").asText()).isEqualTo("chat.completion");
        assertThat(j.path("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode choice = j.path("choices").get(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("echo: What is the capital of France?");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = j.path("usage");
        assertThat(usage.path("prompt_tokens").asInt())
                .isEqualTo(FakeContent.promptTokens(List.of("Be brief.", "What is the capital of France?")));
        assertThat(usage.path("completion_tokens").asInt())
                .isEqualTo(FakeContent.tokenCount("echo: What is the capital of France?"));
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
    }

    @Test
    void maxTokensCutsTheAnswerAndReportsLength() {
        JsonNode j = Http.json(Http.post(chatUrl(), """
                {"model":"m","max_tokens":3,"messages":[{"role":"user","content":"one two three four"}]}""",
                Http.bearer()));
        assertThat(j.at("/choices/0/message/content").asText()).isEqualTo("echo: one");
        assertThat(j.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(j.at("/usage/completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void streamSendsDeltasThenUsageThenDone() {
        HttpResponse<String> r = Http.post(chatUrl(), """
                {"model":"m","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hello there, world"}]}""", Http.bearer());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> data = sseData(r.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode chunk = Http.json(d);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            if (chunk.path("choices").isEmpty()) {
                usage = chunk.path("usage");
                continue;
            }
            text.append(chunk.at("/choices/0/delta/content").asText(""));
            if (!chunk.at("/choices/0/finish_reason").isNull()) {
                finish = chunk.at("/choices/0/finish_reason").asText();
            }
        }
        assertThat(text.toString()).isEqualTo("echo: Hello there, world");
        assertThat(finish).isEqualTo("stop");
        assertThat(usage).isNotNull();
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(FakeContent.tokenCount("echo: Hello there, world"));
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunk() {
        HttpResponse<String> r = Http.post(chatUrl(), """
                {"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Http.bearer());
        assertThat(r.body()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void embeddingsOfAnArrayComeBackIndexedUnitLengthAndDeterministic() {
        JsonNode j = Http.json(Http.post(server.openAiBaseUrl() + "/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha beta\",\"gamma\",\"alpha beta\"]}",
                Http.bearer()));
        assertThat(j.path("object").asText()).isEqualTo("list");
        assertThat(j.path("data")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode item = j.path("data").get(i);
            assertThat(item.path("index").asInt()).isEqualTo(i);
            assertThat(item.path("embedding")).hasSize(8);
        }
        float[] first = floats(j.at("/data/0/embedding"));
        assertThat(first).containsExactly(FakeContent.embedding("alpha beta", 8));
        assertThat(floats(j.at("/data/2/embedding"))).containsExactly(first);
        double norm = 0;
        for (float f : first) {
            norm += f * f;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(j.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void embeddingsHonourDimensionsAndBase64() {
        JsonNode j = Http.json(Http.post(server.openAiBaseUrl() + "/embeddings",
                "{\"model\":\"m\",\"input\":\"hello\",\"dimensions\":4,\"encoding_format\":\"base64\"}", Http.bearer()));
        byte[] bytes = Base64.getDecoder().decode(j.at("/data/0/embedding").asText());
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getFloat();
        }
        assertThat(v).containsExactly(FakeContent.embedding("hello", 4));
    }

    @Test
    void missingBearerTokenIs401WithOpenAiErrorShape() {
        HttpResponse<String> r = Http.post(chatUrl(), "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Http.json(r).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(server.requests()).anySatisfy(req -> assertThat(req.outcome()).isEqualTo("unauthorized"));
    }

    @Test
    void invalidRequestsAre400WithTheFieldNamed() {
        HttpResponse<String> broken = Http.post(chatUrl(), "{not json", Http.bearer());
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(Http.json(broken).at("/error/type").asText()).isEqualTo("invalid_request_error");
        HttpResponse<String> noMessages = Http.post(chatUrl(), "{\"model\":\"m\",\"messages\":[]}", Http.bearer());
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(Http.json(noMessages).at("/error/message").asText()).contains("messages");
        HttpResponse<String> hot = Http.post(chatUrl(),
                "{\"model\":\"m\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Http.bearer());
        assertThat(Http.json(hot).at("/error/message").asText()).contains("temperature");
    }

    @Test
    void pathsWithoutV1PrefixAreNotServed() {
        HttpResponse<String> r = Http.post(server.baseUrl() + "/chat/completions", "{}", Http.bearer());
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void requestsAreRecordedWithHeadersAndBody() {
        server.reset();
        Http.post(chatUrl(), "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"rec\"}]}", Http.bearer());
        assertThat(server.requestCount()).isEqualTo(1);
        RecordedRequest req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.header("Authorization")).hasValue("Bearer test-key");
        assertThat(req.hasCredentials()).isTrue();
        assertThat(req.body()).contains("rec");
        assertThat(req.outcome()).isEqualTo("ok");
        assertThat(req.toString()).doesNotContain("test-key");
    }

    static List<String> sseData(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            if (line.startsWith("data: ")) {
                out.add(line.substring(6));
            }
        }
        return out;
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }
}
