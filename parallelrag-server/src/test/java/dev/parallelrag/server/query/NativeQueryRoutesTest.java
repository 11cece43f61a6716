package dev.parallelrag.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.pipeline.Query;
import dev.parallelrag.pipeline.ResultJson;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/search} and {@code POST /v1/ask} on a real server over the sample index, with no LLM. */
@Timeout(120)
class NativeQueryRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static SampleServer server;
    private static String lincoln;

    @BeforeAll
    static void start() throws Exception {
        Path index = SampleServer.index(dir);
        server = SampleServer.start(index);
        lincoln = dir.resolve("sample").resolve(SampleServer.LINCOLN).toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void searchAnswersTheEnginesHitsInTheShapeOfSearchJson() throws Exception {
        HttpResponse<String> r = server.post("/v1/search", "{\"query\": \"the union\", \"k\": 4, \"mode\": \"keyword\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        Query same = server.engine.query("the union").k(4).mode(SearchMode.KEYWORD).build();
        JsonNode expected = JSON.valueToTree(ResultJson.hits(server.engine.search(same)));
        assertThat(json(r).get("hits")).isEqualTo(expected).hasSize(4);
        assertThat(json(r).get("hits").get(0).fieldNames()).toIterable()
                .containsExactly("rank", "score", "source", "chunk_id", "start", "end", "text");
    }

    @Test
    void theFilterReachesSearchAndAsk() throws Exception {
        JsonNode all = json(server.post("/v1/search", "{\"query\": \"the union\", \"k\": 10}")).get("hits");
        assertThat(all.findValuesAsText("source")).anyMatch(s -> !s.equals(lincoln)); // else the filter proves nothing

        String filter = JSON.writeValueAsString(java.util.Map.of("$source", lincoln));
        JsonNode filtered = json(server.post("/v1/search", "{\"query\": \"the union\", \"k\": 10, \"filter\": " + filter + "}"))
                .get("hits");
        assertThat(filtered.findValuesAsText("source")).isNotEmpty().containsOnly(lincoln);
        assertThat(filtered).isEqualTo(JSON.valueToTree(ResultJson.hits(server.engine.search(server.engine.query("the union")
                .k(10).filter(MetadataFilter.eq(MetadataFilter.SOURCE, lincoln)).build()))));

        JsonNode answer = json(server.post("/v1/ask", "{\"question\": \"the union\", \"filter\": " + filter + "}"));
        assertThat(answer.get("citations").findValuesAsText("source")).isNotEmpty().containsOnly(lincoln);

        String either = JSON.writeValueAsString(java.util.Map.of("$source", List.of(lincoln, "nowhere.txt")));
        assertThat(json(server.post("/v1/search", "{\"query\": \"the union\", \"filter\": " + either + "}"))
                .get("hits").findValuesAsText("source")).isNotEmpty().containsOnly(lincoln);
    }

    @Test
    void badRequestsAre400sNamingTheField() throws Exception {
        assertBad(server.post("/v1/search", "{\"query\": \"x\", \"k\": 0}"), "k");
        assertBad(server.post("/v1/search", "{\"query\": \"x\", \"mode\": \"fuzzy\"}"), "mode");
        assertBad(server.post("/v1/search", "{\"query\": \"x\", \"fitler\": {}}"), "fitler");
        assertBad(server.post("/v1/search", "{\"k\": 3}"), "query");
        assertBad(server.post("/v1/search", "{\"query\": \" \"}"), "query");
        assertBad(server.post("/v1/search", "{\"query\": \"x\", \"filter\": {\"$nope\": \"y\"}}"), "filter.key");
        assertBad(server.post("/v1/search", "{\"query\": \"x\", \"filter\": {\"lang\": 3}}"), "filter.lang");
        assertBad(server.post("/v1/search", "[1, 2]"), "body");
        assertBad(server.post("/v1/search", "{not json"), "body");
        assertBad(server.post("/v1/ask", "{\"question\": \"x\", \"stream\": \"yes\"}"), "stream");
        assertBad(server.post("/v1/ask", "{\"question\": \"x\", \"k\": 1.5}"), "k");
    }

    private static void assertBad(HttpResponse<String> r, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = json(r).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request");
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    @Test
    void askAnswersAsAskJsonWithCitationsAndUsage() throws Exception {
        HttpResponse<String> r = server.post("/v1/ask", "{\"question\": \"What did Lincoln say about the slave trade?\", \"k\": 3}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode a = json(r);
        assertThat(a.fieldNames()).toIterable().containsExactly("answer", "mode", "fallback_reason", "served_by", "citations",
                "usage", "timings");
        assertThat(a.get("mode").asText()).isEqualTo("extractive");
        assertThat(a.get("citations")).isNotEmpty();
        assertThat(a.get("usage").get("total_tokens").asLong()).isPositive();
        assertThat(a.get("answer").asText()).isEqualTo(server.engine.ask(server.engine.query(
                "What did Lincoln say about the slave trade?").k(3).build()).text());
    }

    @Test
    void aStreamedAskSendsDeltasThenTheAnswer() throws Exception {
        HttpResponse<String> r = server.post("/v1/ask", "{\"question\": \"the slave trade\", \"stream\": true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(r.headers().firstValue("X-Accel-Buffering")).contains("no");
        List<String[]> events = events(r.body());
        assertThat(events).hasSizeGreaterThan(2);
        StringBuilder text = new StringBuilder();
        for (String[] e : events.subList(0, events.size() - 1)) {
            assertThat(e[0]).isEqualTo("delta");
            text.append(JSON.readTree(e[1]).get("text").asText());
        }
        String[] last = events.getLast();
        assertThat(last[0]).isEqualTo("answer");
        JsonNode answer = JSON.readTree(last[1]);
        assertThat(answer.get("answer").asText()).isEqualTo(text.toString());
        assertThat(answer.get("citations")).hasSize(events.size() - 1); // an extractive answer: one sentence per delta
        assertThat(answer.get("usage").get("completion_tokens").asLong()).isPositive();
    }

    @Test
    void aStreamedAskThatFailsAtOnceIsAnOrdinaryError() throws Exception {
        HttpResponse<String> r = server.post("/v1/ask", "{\"question\": \"x\", \"stream\": true, \"mode\": \"nope\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    /** The events of an SSE body as {name, data} pairs; comments skipped. */
    static List<String[]> events(String body) {
        List<String[]> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
                }
            }
            if (!data.isEmpty()) {
                events.add(new String[] {name, data.toString()});
            }
        }
        return events;
    }
}
