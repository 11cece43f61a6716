package dev.parallelrag.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * One streamed {@code POST /v1/chat/completions} ({@code stream: true}, {@code include_usage}), read line by line to
 * its end and checked the way an OpenAI client relies on it: status 200, {@code text/event-stream}, content deltas,
 * a chunk carrying {@code citations}, a usage chunk with non-zero completion tokens, and {@code data: [DONE]} last.
 */
final class AnswerStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI uri;
    private final String key;
    private final Duration timeout;

    AnswerStream(HttpClient client, String baseUrl, String key, Duration timeout) {
        this.client = client;
        this.uri = URI.create(baseUrl + "/v1/chat/completions");
        this.key = key;
        this.timeout = timeout;
    }

    /** Runs one stream for {@code question}; it counts in {@code open} from its response headers to its end. */
    StreamResult run(String question, OpenStreams open) {
        String body = JSON.createObjectNode().put("model", "parallelrag").put("stream", true)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("stream_options",
                        JSON.createObjectNode().put("include_usage", true))
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", question))).toString();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        long first = -1;
        int events = 0;
        boolean content = false;
        boolean citations = false;
        boolean usage = false;
        boolean done = false;
        boolean counted = false;
        try {
            HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            open.opened();
            counted = true;
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    return fail(start, first, events, "status " + response.statusCode() + ": "
                            + String.join(" ", lines.limit(3).toList()));
                }
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (!type.startsWith("text/event-stream")) {
                    return fail(start, first, events, "Content-Type " + type);
                }
                Iterator<String> it = lines.iterator();
                while (it.hasNext()) {
                    String line = it.next();
                    if (!line.startsWith("data:")) {
                        continue; // blank separators and heartbeat comments
                    }
                    if (first < 0) {
                        first = System.nanoTime() - start;
                    }
                    events++;
                    String data = line.substring(5).strip();
                    if (done) {
                        return fail(start, first, events, "an event after [DONE]");
                    }
                    if (data.equals("[DONE]")) {
                        done = true;
                        continue;
                    }
                    JsonNode chunk = JSON.readTree(data);
                    if (chunk.has("error")) {
                        return fail(start, first, events, "error event " + chunk.get("error"));
                    }
                    for (JsonNode choice : chunk.path("choices")) {
                        content |= !choice.path("delta").path("content").asText("").isEmpty();
                        citations |= choice.path("delta").path("citations").size() > 0;
                    }
                    citations |= chunk.path("citations").size() > 0;
                    usage |= chunk.path("usage").path("completion_tokens").asInt() > 0;
                }
            }
        } catch (IOException e) {
            return fail(start, first, events, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(start, first, events, "interrupted");
        } finally {
            if (counted) {
                open.closed();
            }
        }
        String missing = !done ? "no [DONE]" : !content ? "no content" : !citations ? "no citations"
                : !usage ? "no non-zero usage" : null;
        return new StreamResult(first, System.nanoTime() - start, events, missing);
    }

    private static StreamResult fail(long start, long first, int events, String why) {
        return new StreamResult(first, System.nanoTime() - start, events, why);
    }
}
