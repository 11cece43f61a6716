package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.server.openapi.OpenApiRoutes;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document and the routes the server registers ({@link ParallelRagServer#routes()}, from the route sets
 * of {@link StandardRoutes}) are the same set, both ways: a route added without its entry fails here, and so does an
 * entry whose route is gone.
 */
class OpenApiRoutesTest {

    @TempDir
    static Path dir;

    private static ParallelRag engine;
    private static ParallelRagServer server;
    private static Map<String, Operation> documented;

    @BeforeAll
    static void start() throws Exception {
        engine = TestIndex.open(dir);
        server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).warmUp(false).build());
        documented = OpenApiDocument.operations(OpenApiDocument.parse(OpenApiDocument.text()).getOpenAPI());
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    @Test
    void everyRegisteredRouteIsDocumented() {
        Set<String> missing = new TreeSet<>(registered());
        missing.removeAll(documented.keySet());

        assertThat(missing).as("routes the server registers that openapi.json does not describe; add their"
                + " operations to %s", OpenApiRoutes.RESOURCE).isEmpty();
    }

    @Test
    void everyDocumentedRouteIsRegistered() {
        Set<String> stale = new TreeSet<>(documented.keySet());
        stale.removeAll(registered());

        assertThat(stale).as("operations of openapi.json the server does not serve").isEmpty();
    }

    @Test
    void exactlyTheKeyedRoutesDocumentTheBearerKey() {
        for (Route route : server.routes()) {
            Operation operation = documented.get(OpenApiDocument.key(route.method(), route.path()));
            if (operation == null) {
                continue; // everyRegisteredRouteIsDocumented names it
            }
            List<SecurityRequirement> security = operation.getSecurity();
            if (route.keyed()) {
                assertThat(security).as("%s %s needs a key", route.method(), route.path())
                        .containsExactly(new SecurityRequirement().addList("bearer"));
            } else {
                assertThat(security).as("%s %s is served without a key: an empty security list says so",
                        route.method(), route.path()).isNotNull().isEmpty();
            }
        }
    }

    @Test
    void theServerServesTheCheckedInDocumentWithoutAKey() {
        HttpResponse<String> response = Http.get(server.port(), OpenApiRoutes.PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(response.body()).isEqualTo(OpenApiDocument.text());
        assertThat(Http.json(response).path("openapi").asText()).startsWith("3.1.");
    }

    private static Set<String> registered() {
        return server.routes().stream().map(r -> OpenApiDocument.key(r.method(), r.path()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
