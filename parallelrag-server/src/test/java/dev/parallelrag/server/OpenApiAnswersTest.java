package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.server.openapi.OpenApiRoutes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real answers of the server have the shapes the OpenAPI document gives them. */
class OpenApiAnswersTest {

    @TempDir
    static Path dir;

    private final OpenApiSchemas schemas = new OpenApiSchemas();
    private static ParallelRag engine;
    private static ParallelRagServer server;

    @BeforeAll
    static void start() throws Exception {
        engine = TestIndex.open(dir);
        server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).warmUp(false).build());
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    @Test
    void healthAnswersHaveTheirShapes() {
        schemas.assertAnswerMatches("GET", "/health/live", Http.get(server.port(), "/health/live"));
        // not warmed up: 503 with its reasons, then 200 once the model is loaded
        schemas.assertAnswerMatches("GET", "/health/ready", Http.get(server.port(), "/health/ready"));
        engine.search("warm up");
        var ready = Http.get(server.port(), "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        schemas.assertAnswerMatches("GET", "/health/ready", ready);
    }

    @Test
    void theDocumentIsTheShapeItGivesItself() {
        schemas.assertAnswerMatches("GET", OpenApiRoutes.PATH, Http.get(server.port(), OpenApiRoutes.PATH));
    }

    @Test
    void anUnknownAssetIsTheErrorShape() {
        var missing = Http.get(server.port(), "/web/nothing.js");

        assertThat(missing.statusCode()).isEqualTo(404);
        schemas.assertAnswerMatches("GET", "/web/{asset}", missing);
    }

    @Test
    void theCheckFailsOnAnAnswerOfAnotherShape() {
        String pointer = "/components/schemas/Error";

        assertThat(schemas.errors(pointer, "{\"error\":{\"type\":\"not_found\",\"message\":\"no\"}}")).isEmpty();
        assertThat(schemas.errors(pointer, "{\"error\":{\"type\":\"teapot\",\"message\":\"no\"}}")).isNotEmpty();
        assertThat(schemas.errors(pointer, "{\"error\":{\"message\":\"no\"}}")).isNotEmpty();
        assertThat(schemas.errors(pointer, "{\"error\":{\"type\":\"internal\",\"message\":\"x\",\"stack\":\"..\"}}"))
                .isNotEmpty();
        assertThat(schemas.errors("/paths/~1health~1live/get/responses/200/content/application~1json/schema",
                "{\"status\":\"DOWN\"}")).isNotEmpty();
    }

    @Test
    void everySchemaOfTheDocumentIsValidJsonSchema() {
        List<String> checked = schemas.schemaPointers();
        assertThat(checked).contains("/components/schemas/Error", "/paths/~1openapi.json/get/responses/200/content"
                + "/application~1json/schema");

        for (String pointer : checked) {
            assertThat(schemas.metaSchemaErrors(pointer)).as("%s against JSON Schema 2020-12", pointer).isEmpty();
        }
    }

    @Test
    void theMetaSchemaCheckFailsOnABrokenSchema() {
        assertThat(OpenApiSchemas.metaSchemaErrorsOf("{\"type\": \"strin\"}")).isNotEmpty();
        assertThat(OpenApiSchemas.metaSchemaErrorsOf("{\"required\": \"id\"}")).isNotEmpty();
        assertThat(OpenApiSchemas.metaSchemaErrorsOf("{\"type\": [\"string\", \"null\"]}")).isEmpty();
    }
}
