package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure, whatever raised it, is answered with its status and {@code {"error":{"type","message","field"?}}}. */
class ErrorShapeTest {

    private static final long JSON_LIMIT = 1000;
    private static final long UPLOAD_LIMIT = 5000;

    record Question(String question, int k) {
    }

    @TempDir
    static Path dir;
    static ParallelRag engine;
    static ParallelRagServer server;

    @BeforeAll
    static void start() throws Exception {
        engine = TestIndex.open(dir);
        ServerRoutes failing = (routes, context) -> routes
                .post("/v1/validation", ctx -> {
                    throw new ValidationException("k", 0, "must be between 1 and 1000");
                })
                .get("/v1/conflict", ctx -> {
                    throw ApiException.conflict("job 7 already finished");
                })
                .get("/v1/missing", ctx -> {
                    throw ApiException.notFound("no job 7");
                })
                .get("/v1/provider-rate-limited", ctx -> {
                    throw new RateLimitedException("openai answered 429", Duration.ofMillis(2500));
                })
                .get("/v1/closed", ctx -> {
                    throw new ClosedException("ParallelRag is closed");
                })
                .get("/v1/no-index", ctx -> {
                    throw new StoreException("no index yet");
                })
                .get("/v1/timeout", ctx -> {
                    throw new ProviderTimeoutException("openai did not answer in 30 s", Duration.ofSeconds(30), null);
                })
                .get("/v1/bug", ctx -> {
                    throw new IllegalStateException("secret internal detail");
                })
                .post("/v1/echo", ctx -> ctx.json(ctx.bodyAsClass(Question.class)))
                .post("/v1/length", ctx -> ctx.json(Map.of("bytes", ctx.body().length())))
                .upload("/v1/upload", ctx -> ctx.json(Map.of("bytes", RequestBodies.bytes(ctx).length)));
        server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).maxJsonBodyBytes(JSON_LIMIT)
                .maxUploadBytes(UPLOAD_LIMIT).warmUp(false).build()).routes(List.of(failing)).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    @Test
    void validationExceptionIs400NamingItsField() {
        HttpResponse<String> r = Http.post(server.port(), "/v1/validation", "{}");

        assertError(r, 400, "invalid_request");
        assertThat(Http.json(r).at("/error/field").asText()).isEqualTo("k");
        assertThat(Http.json(r).at("/error/message").asText()).contains("must be between 1 and 1000");
    }

    @Test
    void theRoutesOwnStatusesKeepTheShape() {
        assertError(Http.get(server.port(), "/v1/conflict"), 409, "conflict");
        assertError(Http.get(server.port(), "/v1/missing"), 404, "not_found");
        assertThat(Http.json(Http.get(server.port(), "/v1/missing")).at("/error").has("field")).isFalse();
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        assertError(Http.get(server.port(), "/no/such/route"), 404, "not_found");
        assertError(Http.get(server.port(), "/v1/echo"), 405, "method_not_allowed");
    }

    @Test
    void rateLimitIs429WithRetryAfterInWholeSecondsRoundedUp() {
        HttpResponse<String> r = Http.get(server.port(), "/v1/provider-rate-limited");

        assertError(r, 429, "rate_limited");
        assertThat(r.headers().firstValue("Retry-After")).contains("3");
    }

    @Test
    void aClosedEngineOrAMissingIndexIs503AndATimeoutIs504() {
        assertError(Http.get(server.port(), "/v1/closed"), 503, "unavailable");
        assertError(Http.get(server.port(), "/v1/no-index"), 503, "unavailable");
        assertError(Http.get(server.port(), "/v1/timeout"), 504, "provider_timeout");
    }

    @Test
    void anUnexpectedErrorIs500WithAnErrorIdAndNoDetail() {
        HttpResponse<String> r = Http.get(server.port(), "/v1/bug");

        assertError(r, 500, "internal");
        assertThat(r.body()).contains("error id").doesNotContain("secret internal detail")
                .doesNotContain("IllegalStateException").doesNotContain("\tat ").doesNotContain("dev.parallelrag");
    }

    @Test
    void malformedJsonIs400AndAWrongTypeNamesTheField() {
        assertError(Http.post(server.port(), "/v1/echo", "{\"question\": "), 400, "invalid_request");
        HttpResponse<String> wrongType = Http.post(server.port(), "/v1/echo", "{\"question\":\"q\",\"k\":\"many\"}");

        assertError(wrongType, 400, "invalid_request");
        assertThat(Http.json(wrongType).at("/error/field").asText()).isEqualTo("k");
        assertThat(Http.post(server.port(), "/v1/echo", "{\"question\":\"q\",\"k\":3}").body())
                .isEqualTo("{\"question\":\"q\",\"k\":3}");
    }

    @Test
    void aBodyOverTheJsonLimitIs413WithOrWithoutALength() {
        String atLimit = "x".repeat((int) JSON_LIMIT);
        String over = atLimit + "x";

        assertThat(Http.post(server.port(), "/v1/length", atLimit).statusCode()).isEqualTo(200);
        assertError(Http.post(server.port(), "/v1/length", over), 413, "payload_too_large");
        assertError(Http.send(chunked("/v1/length", over)), 413, "payload_too_large");
    }

    @Test
    void anUploadRouteTakesUpToTheUploadLimit() {
        String overJson = "x".repeat((int) JSON_LIMIT * 3);
        String overUpload = "x".repeat((int) UPLOAD_LIMIT + 1);

        HttpResponse<String> ok = Http.post(server.port(), "/v1/upload", overJson);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Http.json(ok).get("bytes").asLong()).isEqualTo(JSON_LIMIT * 3);
        assertThat(Http.send(chunked("/v1/upload", overJson)).statusCode()).isEqualTo(200);
        assertError(Http.post(server.port(), "/v1/upload", overUpload), 413, "payload_too_large");
        assertError(Http.send(chunked("/v1/upload", overUpload)), 413, "payload_too_large");
    }

    /** A body sent without Content-Length (chunked): the limit must hold while reading. */
    private static HttpRequest chunked(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Http.request(server.port(), path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
    }

    static void assertError(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = Http.json(r).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(Http.json(r).size()).isEqualTo(1);
    }
}
