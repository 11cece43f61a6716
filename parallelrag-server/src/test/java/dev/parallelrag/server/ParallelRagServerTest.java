package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.engine.ParallelRag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelRagServerTest {

    @TempDir
    Path dir;

    @Test
    void portZeroBindsAFreePortAndCloseReleasesItLeavingTheEngineOpen() throws Exception {
        try (ParallelRag engine = TestIndex.open(dir)) {
            ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).warmUp(false).build());
            int port = server.port();
            assertThat(port).isPositive();
            assertThat(Http.get(port, "/health/live").statusCode()).isEqualTo(200);

            server.close();
            server.close(); // idempotent

            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(Http.uri(port, "/health/live"))
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
            assertThat(engine.health()).isNotNull(); // still open: the engine is the caller's
        }
    }

    @Test
    void hostIsTheOnlyAddressServed() throws Exception {
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().host("127.0.0.2").port(0)
                     .warmUp(false).build())) {
            HttpResponse<String> there = Http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.2:" + server.port() + "/health/live")).build());

            assertThat(there.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> Http.get(server.port(), "/health/live")) // 127.0.0.1: nothing listens there
                    .hasCauseInstanceOf(ConnectException.class);
        }
    }

    @Test
    void portIsThePortBound() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(free).warmUp(false).build())) {
            assertThat(server.port()).isEqualTo(free);
            assertThat(Http.get(free, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theRouteSetsBindTheirMetersToTheGivenRegistry() throws IOException {
        MeterRegistry registry = new SimpleMeterRegistry();
        ServerRoutes counting = (routes, context) -> {
            Counter hits = Counter.builder("test.hits").register(context.meterRegistry());
            routes.get("/v1/hit", ctx -> {
                hits.increment();
                ctx.result("ok");
            });
        };
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).warmUp(false).build())
                     .routes(List.of(counting)).meterRegistry(registry).start()) {
            Http.get(server.port(), "/v1/hit");
            Http.get(server.port(), "/v1/hit");
        }
        assertThat(registry.get("test.hits").counter().count()).isEqualTo(2.0);
    }

    @Test
    void routesListsEveryDeclaredRouteWithItsSurfaceAndKey() throws IOException {
        ServerRoutes api = (routes, context) -> routes.post("/v1/search", ctx -> { }).upload("/v1/documents", ctx -> { })
                .delete("/v1/jobs/{id}", ctx -> { }).get("/", ctx -> { });
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).warmUp(false).build())
                     .routes(List.of(new HealthRoutes(), api)).start()) {
            assertThat(server.routes()).containsExactly(
                    new Route("GET", "/health/live", Route.Surface.MANAGEMENT, false),
                    new Route("GET", "/health/ready", Route.Surface.MANAGEMENT, false),
                    new Route("POST", "/v1/search", Route.Surface.API, false),
                    new Route("POST", "/v1/documents", Route.Surface.API, true),
                    new Route("DELETE", "/v1/jobs/{id}", Route.Surface.API, false),
                    new Route("GET", "/", Route.Surface.API, false));
            assertThat(server.routes()).filteredOn(Route::keyed).extracting(Route::path)
                    .containsExactly("/v1/search", "/v1/documents", "/v1/jobs/{id}");
        }
    }

    @Test
    void theStandardRoutesIncludeHealth() throws IOException {
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).warmUp(false).build())) {
            assertThat(server.routes()).extracting(Route::path).contains("/health/live", "/health/ready");
        }
    }

    @Test
    void closeStopsServingThenStopsTheSignalAndClosesTheRouteSetsInReverse() throws IOException {
        List<String> events = new CopyOnWriteArrayList<>();
        class Recording implements ServerRoutes {
            private final String name;
            private ServerContext context;
            private int port;

            Recording(String name) {
                this.name = name;
            }

            @Override
            public void register(Routes routes, ServerContext context) {
                this.context = context;
                routes.get("/" + name, ctx -> ctx.result(name));
            }

            @Override
            public void close() {
                boolean serving;
                try {
                    serving = Http.get(port, "/" + name).statusCode() == 200;
                } catch (RuntimeException refused) {
                    serving = false;
                }
                events.add(name + " closed, stop signal " + context.stopSignal().isStopped() + ", serving " + serving);
            }
        }
        Recording first = new Recording("first");
        Recording second = new Recording("second");
        try (ParallelRag engine = TestIndex.open(dir)) {
            ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).warmUp(false).build())
                    .routes(List.of(first, second)).start();
            first.port = server.port();
            second.port = server.port();
            assertThat(first.context.engine()).isSameAs(engine);
            assertThat(first.context.stopSignal().isStopped()).isFalse();

            server.close();
        }
        assertThat(events).containsExactly("second closed, stop signal true, serving false",
                "first closed, stop signal true, serving false");
    }

    @Test
    void aRouteDeclaredTwiceOrAKeyedRouteOnTheManagementPortIsAProgrammingError() throws IOException {
        try (ParallelRag engine = TestIndex.open(dir)) {
            ServerRoutes twice = (routes, context) -> routes.get("/a", ctx -> { }).get("/a", ctx -> { });
            ServerRoutes keyedManagement = (routes, context) -> routes.management().get("/v1/metrics", ctx -> { });
            ServerConfig config = ServerConfig.builder().port(0).warmUp(false).build();

            assertThatThrownBy(() -> ParallelRagServer.builder(engine, config).routes(List.of(twice)).start())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /a is declared twice");
            assertThatThrownBy(() -> ParallelRagServer.builder(engine, config).routes(List.of(keyedManagement)).start())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/v1/metrics");
        }
    }
}
