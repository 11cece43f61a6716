package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallelrag.engine.ParallelRag;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthRoutesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void liveIsUpAndReadyWaitsForTheWarmUpToLoadTheModel() throws Exception {
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).build())) {
            HttpResponse<String> live = Http.get(server.port(), "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(Http.json(live).get("status").asText()).isEqualTo("UP");

            HttpResponse<String> ready = awaitStatus(() -> Http.get(server.port(), "/health/ready"), 200);
            JsonNode body = Http.json(ready);
            assertThat(body.get("ready").asBoolean()).isTrue();
            assertThat(body.get("reasons")).isEmpty();
            assertThat(body.get("status").asText()).isIn("UP", "DEGRADED");
            assertThat(body.at("/components/store/status").asText()).isEqualTo("UP");
            assertThat(body.at("/components/embedder/reason").asText()).isNotBlank();
            assertThat(engine.embedderLoaded()).isTrue();
        }
    }

    @Test
    void withoutWarmUpReadyStays503AndSaysTheModelIsNotLoaded() throws Exception {
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).warmUp(false).build())) {
            HttpResponse<String> ready = Http.get(server.port(), "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Http.json(ready).get("ready").asBoolean()).isFalse();
            assertThat(Http.json(ready).get("reasons").toString()).contains("not loaded").contains("warm-up is off");
            assertThat(engine.embedderLoaded()).isFalse();

            engine.search("lincoln", 1, dev.parallelrag.store.SearchMode.VECTOR); // the first question loads it
            assertThat(Http.get(server.port(), "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aComponentDownMakesReadyFalseWithItsReason() {
        try (ParallelRag engine = TestIndex.engine(dir.resolve("no-index-here"));
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).build())) {
            HttpResponse<String> ready = awaitBody(() -> Http.get(server.port(), "/health/ready"), "first ingest");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Http.json(ready).get("status").asText()).isEqualTo("DOWN");
            assertThat(Http.json(ready).get("reasons").toString()).contains("store is DOWN").contains("no index");
            assertThat(Http.get(server.port(), "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClosedEngineIsNotReady() throws Exception {
        ParallelRag engine = TestIndex.open(dir);
        try (ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).warmUp(false).build())) {
            engine.close();
            HttpResponse<String> ready = Http.get(server.port(), "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Http.json(ready).get("reasons").toString()).contains("shutting down");
        }
    }

    @Test
    void aManagementPortTakesTheHealthRoutesOffTheApiPort() throws Exception {
        ServerRoutes api = (routes, context) -> routes.get("/v1/hello", ctx -> ctx.result("hi"));
        List<ServerRoutes> sets = List.of(new HealthRoutes(), api);
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).managementPort(0)
                     .warmUp(false).build()).routes(sets).start()) {
            assertThat(server.managementPort()).isNotEqualTo(server.port());

            assertThat(Http.get(server.managementPort(), "/health/live").statusCode()).isEqualTo(200);
            ErrorShapeTest.assertError(Http.get(server.port(), "/health/live"), 404, "not_found");
            assertThat(Http.get(server.port(), "/v1/hello").body()).isEqualTo("hi");
            ErrorShapeTest.assertError(Http.get(server.managementPort(), "/v1/hello"), 404, "not_found");
        }
    }

    @Test
    void withoutAManagementPortEverythingIsOnTheApiPort() throws Exception {
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).warmUp(false).build())) {
            assertThat(server.managementPort()).isEqualTo(server.port());
            assertThat(Http.get(server.port(), "/health/live").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> awaitStatus(Supplier<HttpResponse<String>> call, int status) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        HttpResponse<String> r = call.get();
        while (r.statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            r = call.get();
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r;
    }

    private static HttpResponse<String> awaitBody(Supplier<HttpResponse<String>> call, String text) {
        Instant deadline = Instant.now().plus(PATIENCE);
        HttpResponse<String> r = call.get();
        while (!r.body().contains(text) && Instant.now().isBefore(deadline)) {
            r = call.get();
        }
        assertThat(r.body()).contains(text);
        return r;
    }
}
