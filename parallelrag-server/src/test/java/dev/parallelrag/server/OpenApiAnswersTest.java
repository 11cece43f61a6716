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
    void jobAndDocumentAnswersHaveTheirShapes() {
        int port = server.port();
        var accepted = Http.post(port, "/v1/documents", "{\"documents\":[{\"id\":\"note-1\",\"text\":\"Adams spoke"
                + " of the navy.\",\"metadata\":{\"lang\":\"en\"}}]}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        schemas.assertAnswerMatches("POST", "/v1/documents", accepted);
        String job = Http.json(accepted).path("job_id").asText();

        // the stream ends with the job's last event: every event it sent is checked
        var events = Http.get(port, "/v1/jobs/" + job + "/events");
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/event-stream"));
        List<String[]> sent = serverSentEvents(events.body());
        assertThat(sent).extracting(e -> e[0]).contains("file", "job");
        for (String[] e : sent) {
            schemas.assertEventMatches("GET", "/v1/jobs/{id}/events", e[0], e[1]);
        }

        var status = Http.get(port, "/v1/jobs/" + job);
        assertThat(Http.json(status).path("state").asText()).isEqualTo("succeeded");
        schemas.assertAnswerMatches("GET", "/v1/jobs/{id}", status);
        schemas.assertAnswerMatches("DELETE", "/v1/jobs/{id}", Http.send(Http.request(port, "/v1/jobs/" + job)
                .DELETE().build()));
        schemas.assertAnswerMatches("GET", "/v1/documents", Http.get(port, "/v1/documents?page=1&size=2"));
        schemas.assertAnswerMatches("DELETE", "/v1/documents/{id}", Http.send(Http.request(port, "/v1/documents/note-1")
                .DELETE().build()));
        schemas.assertAnswerMatches("GET", "/v1/jobs/{id}", Http.get(port, "/v1/jobs/no-such-job"));
        schemas.assertAnswerMatches("GET", "/v1/documents", Http.get(port, "/v1/documents?size=0"));
    }

    /** The {@code event:} name and {@code data:} of each event of a stream, comments left out. */
    private static List<String[]> serverSentEvents(String stream) {
        List<String[]> events = new java.util.ArrayList<>();
        for (String block : stream.split("\n\n")) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                }
            }
            if (!data.isEmpty()) {
                events.add(new String[] {name, data.toString()});
            }
        }
        return events;
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
