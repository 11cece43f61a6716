package dev.parallelrag.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.jobs.IngestJobsConfig;
import dev.parallelrag.pipeline.PacedEmbeddingModel;
import dev.parallelrag.server.ParallelRagServer;
import dev.parallelrag.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest-job routes against a real server on a loopback port, serving a real Lucene index with a deterministic
 * embedder whose pace the test sets: uploads, per-file states and their event stream, cancel, documents, and every
 * error status the routes give.
 */
class JobRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private PacedEmbeddingModel model = new PacedEmbeddingModel(32, 8, Duration.ZERO);
    private ParallelRag engine;
    private ParallelRagServer server;

    private int start(IngestJobsConfig jobs, ServerConfig.Builder config) {
        engine = ParallelRag.builder(dir.resolve("index")).embeddingModel(model).embeddingCache(false).build();
        server = ParallelRagServer.builder(engine, config.port(0).warmUp(false).ingestJobs(jobs).build())
                .routes(List.of(new JobRoutes())).start();
        return server.port();
    }

    private int start() {
        return start(IngestJobsConfig.defaults(), ServerConfig.builder());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    // ---- a small client ----

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(LONG);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> upload(Multipart files) {
        return send(request("/v1/documents").header("Content-Type", files.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(files.body())).build());
    }

    private HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    private HttpResponse<String> delete(String path) {
        return send(request(path).DELETE().build());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    private static Multipart files(String prefix, int n) {
        Multipart m = new Multipart();
        for (int i = 0; i < n; i++) {
            m.file(String.format("%s/%s-%03d.txt", prefix, prefix, i), ("File " + prefix + " " + i + " is about topic "
                    + (i % 7) + ". ").repeat(6));
        }
        return m;
    }

    private JsonNode awaitEnd(String id) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = json(get("/v1/jobs/" + id));
            if (List.of("succeeded", "failed", "cancelled").contains(job.get("state").asText())) {
                return job;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job " + id + " did not end");
    }

    /** One server-sent event. */
    private record Sse(String event, JsonNode data) {
    }

    /** Reads the job's event stream to its end. */
    private List<Sse> events(String path) throws Exception {
        return events(request(path));
    }

    private List<Sse> events(HttpRequest.Builder request) throws Exception {
        HttpResponse<Stream<String>> response = CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("X-Accel-Buffering")).contains("no");
        List<Sse> events = new ArrayList<>();
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                } else if (line.isEmpty() && name != null) {
                    events.add(new Sse(name, JSON.readTree(data.toString())));
                    name = null;
                    data.setLength(0);
                }
            }
        }
        return events;
    }

    // ---- Must show 3 ----

    @Test
    void twoHundredFilesInOneUploadAreAcceptedAt202AndTheEventsShowEachFileThroughToStored() throws Exception {
        start();
        awaitEnd(json(upload(files("warm", 1))).get("job_id").asText()); // the first request loads the handlers
        Multipart twoHundred = files("docs", 200);

        long t0 = System.nanoTime();
        HttpResponse<String> accepted = upload(twoHundred);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        System.out.printf("POST /v1/documents, 200 files (%d bytes) in one multipart request: 202 in %.1f ms%n",
                twoHundred.body().length, took.toNanos() / 1e6);
        assertThat(took).as("generous bound; the figure is reported").isLessThan(Duration.ofSeconds(10));
        JsonNode body = json(accepted);
        String id = body.get("job_id").asText();
        assertThat(body.get("files").asInt()).isEqualTo(200);
        assertThat(accepted.headers().firstValue("Location")).contains("/v1/jobs/" + id);

        List<Sse> events = events("/v1/jobs/" + id + "/events");

        Map<String, List<String>> states = new LinkedHashMap<>();
        events.stream().filter(e -> e.event().equals("file")).forEach(e -> states.computeIfAbsent(
                e.data().get("source").asText(), k -> new ArrayList<>()).add(e.data().get("state").asText()));
        assertThat(states).hasSize(200).containsKey("docs/docs-000.txt").containsKey("docs/docs-199.txt");
        states.forEach((source, s) -> assertThat(s).as(source).containsExactly("queued", "reading", "embedding", "stored"));
        assertThat(events.getLast().event()).isEqualTo("job");
        assertThat(events.getLast().data().get("state").asText()).isEqualTo("succeeded");
        assertThat(events.getLast().data().at("/counts/stored").asInt()).isEqualTo(200);
        assertThat(events).extracting(e -> e.data().get("sequence").asLong()).isSorted().doesNotHaveDuplicates();
        JsonNode job = json(get("/v1/jobs/" + id));
        assertThat(job.at("/counts/stored").asInt()).isEqualTo(200);
        assertThat(job.get("files")).hasSize(200);
        assertThat(json(get("/v1/documents?size=1")).get("total").asInt()).isEqualTo(201);
    }

    @Test
    void aCancelledJobStopsWithinASecondTheIndexStaysConsistentAndAResubmitCompletesIt() throws Exception {
        model = new PacedEmbeddingModel(32, 2, Duration.ofMillis(40));
        start();
        Multipart forty = files("c", 40);
        String id = json(upload(forty)).get("job_id").asText();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (json(get("/v1/jobs/" + id)).at("/counts/stored").asInt() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        long t0 = System.nanoTime();
        HttpResponse<String> cancel = delete("/v1/jobs/" + id);
        JsonNode cancelled = awaitEnd(id);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
        assertThat(cancelled.get("state").asText()).isEqualTo("cancelled");
        int stored = cancelled.at("/counts/stored").asInt();
        assertThat(stored).isBetween(3, 39);
        assertThat(cancelled.at("/counts/not_run").asInt()).isEqualTo(40 - stored);
        System.out.printf("DELETE /v1/jobs/{id}: %d of 40 files stored, job cancelled %.0f ms after the request%n",
                stored, took.toNanos() / 1e6);
        assertThat(took).as("generous bound; the figure is reported").isLessThan(Duration.ofSeconds(10));
        assertThat(ParallelRag.verify(dir.resolve("index")).intact()).isTrue();
        assertThat(json(get("/v1/documents?size=100")).get("total").asInt()).isEqualTo(stored);
        assertThat(delete("/v1/jobs/" + id).statusCode()).isEqualTo(409);

        String again = json(upload(forty)).get("job_id").asText();
        JsonNode done = awaitEnd(again);

        assertThat(done.get("state").asText()).isEqualTo("succeeded");
        assertThat(done.at("/counts/stored").asInt()).isEqualTo(40);
        List<String> storedBefore = new ArrayList<>();
        cancelled.get("files").forEach(f -> {
            if (f.get("state").asText().equals("stored")) {
                storedBefore.add(f.get("source").asText());
            }
        });
        done.get("files").forEach(f -> assertThat(f.get("chunks_added").asInt()).as(f.get("source").asText())
                .isEqualTo(storedBefore.contains(f.get("source").asText()) ? 0 : f.get("chunks").asInt()));
        assertThat(json(get("/v1/documents?size=100")).get("total").asInt()).isEqualTo(40);
        assertThat(ParallelRag.verify(dir.resolve("index")).intact()).isTrue();
    }

    // ---- uploads ----

    @Test
    void aJsonBodyOfTextsIsAJobAndItsMetadataReachesTheChunks() throws Exception {
        start();
        HttpResponse<String> accepted = send(request("/v1/documents").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"documents\":[{\"id\":\"note-1\",\"text\":\"Owls hunt at"
                        + " night.\",\"metadata\":{\"lang\":\"en\"}},{\"id\":\"note-2\",\"text\":\"Bees make honey.\"}]}"))
                .build());

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode done = awaitEnd(json(accepted).get("job_id").asText());
        assertThat(done.at("/counts/stored").asInt()).isEqualTo(2);
        assertThat(engine.search("owls").getFirst().metadata()).containsEntry("lang", "en");
        JsonNode page = json(get("/v1/documents"));
        assertThat(page.get("documents")).extracting(d -> d.get("id").asText()).containsExactly("note-1", "note-2");
        assertThat(page.get("documents").get(0).get("chunks").asInt()).isEqualTo(1);
    }

    @Test
    void aFileNameThatWouldEscapeTheUploadAreaIsRefusedWith400NamingTheField() {
        start();
        for (String name : List.of("../x.txt", "/etc/passwd", "a/../../x.txt", "C:\\\\evil.txt", "a//b.txt", "./a.txt")) {
            HttpResponse<String> refused = upload(new Multipart().file("ok.txt", "fine").file(name, "bad"));

            assertThat(refused.statusCode()).as(name).isEqualTo(400);
            assertThat(json(refused).at("/error/field").asText()).as(name).isEqualTo("files[1].filename");
            assertThat(json(refused).at("/error/type").asText()).isEqualTo("invalid_request");
        }
        HttpResponse<String> nul = upload(new Multipart().encodedFile("a%00b.txt", "bad"));
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(json(nul).at("/error/field").asText()).isEqualTo("files[0].filename");
        assertThat(json(get("/v1/documents")).get("total").asInt()).isZero();
    }

    @Test
    void anUploadOverTheLimitIsRefusedWith413WithOrWithoutALength() throws Exception {
        start(IngestJobsConfig.defaults(), ServerConfig.builder().maxUploadBytes(4096));
        Multipart big = new Multipart().file("big.txt", "x".repeat(8192));

        HttpResponse<String> sized = upload(big);
        HttpResponse<String> chunked = send(request("/v1/documents").header("Content-Type", big.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.body()))).build());

        assertThat(sized.statusCode()).as(sized.body()).isEqualTo(413);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(json(chunked).at("/error/type").asText()).isEqualTo("payload_too_large");
        // a new connection: the server closes the one whose body it refused, and a pooled POST is not retried
        Multipart small = new Multipart().file("small.txt", "Small text.");
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(request("/v1/documents")
                .header("Content-Type", small.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(small.body()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
    }

    @Test
    void badBodiesAreRefusedWith400NamingTheField() {
        start();
        HttpResponse<String> noText = send(request("/v1/documents").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"documents\":[{\"id\":\"a\",\"text\":\"ok\"},{\"id\":\"b\"}]}"))
                .build());
        HttpResponse<String> twice = upload(new Multipart().file("same.txt", "one").file("same.txt", "two"));
        HttpResponse<String> plain = send(request("/v1/documents").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build());

        assertThat(noText.statusCode()).isEqualTo(400);
        assertThat(json(noText).at("/error/field").asText()).isEqualTo("documents[1].text");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json(twice).at("/error/message").asText()).contains("same.txt");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(json(plain).at("/error/field").asText()).isEqualTo("Content-Type");
    }

    @Test
    void aTruncatedMultipartBodyOrAPartWithoutAFileNameIsRefusedWith400AndNothingIsStored() {
        start();
        Multipart files = new Multipart().file("a.txt", "Alpha text.").file("b.txt", "Beta text.");
        byte[] whole = files.body();
        HttpResponse<String> truncated = send(request("/v1/documents").header("Content-Type", files.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(whole, whole.length - 20))).build());
        String field = "--" + files.boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
                + files.boundary + "--\r\n";
        HttpResponse<String> nameless = send(request("/v1/documents").header("Content-Type", files.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(field)).build());

        assertThat(truncated.statusCode()).as(truncated.body()).isEqualTo(400);
        assertThat(json(truncated).at("/error/field").asText()).isEqualTo("body");
        assertThat(nameless.statusCode()).as(nameless.body()).isEqualTo(400);
        assertThat(json(nameless).at("/error/field").asText()).isEqualTo("note");
        assertThat(json(get("/v1/documents")).get("total").asInt()).isZero();
    }

    @Test
    void anIdleJobStreamCarriesTheProxyHeadersAndAHeartbeatAtTheConfiguredInterval() throws Exception {
        model.holdCalls(); // the job waits on its embedding call: nothing happens on its stream
        start(IngestJobsConfig.defaults(), ServerConfig.builder().sseHeartbeat(Duration.ofMillis(200)));
        String id = json(upload(files("idle", 1))).get("job_id").asText();
        HttpResponse<Stream<String>> stream = CLIENT.send(request("/v1/jobs/" + id + "/events").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (Stream<String> body = stream.body()) {
                for (String line : (Iterable<String>) body::iterator) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.equals(": heartbeat")) {
                        return;
                    }
                }
            }
        });

        // the default heartbeat (10 s) would not come within this wait: the setting must reach the job stream
        boolean beat = reader.join(Duration.ofSeconds(5));
        model.open();

        assertThat(stream.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(stream.headers().firstValue("X-Accel-Buffering")).contains("no");
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/event-stream"));
        synchronized (lines) {
            assertThat(beat).as("a heartbeat within 5 s; lines so far: %s", lines).isTrue();
            assertThat(lines).contains("id: 1", ": heartbeat");
        }
        awaitEnd(id);
    }

    @Test
    void aSubmitBeyondTheQueueIsRefusedWith429AndRetryAfter() throws Exception {
        model.holdCalls();
        start(IngestJobsConfig.builder().maxRunningJobs(1).maxQueuedJobs(1).build(), ServerConfig.builder());
        assertThat(upload(files("q1", 1)).statusCode()).isEqualTo(202);
        assertThat(upload(files("q2", 1)).statusCode()).isEqualTo(202);

        HttpResponse<String> refused = upload(files("q3", 1));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        assertThat(json(refused).at("/error/message").asText()).contains("maxQueuedJobs 1");
        model.open();
    }

    // ---- jobs and documents ----

    @Test
    void unknownIdsAre404AndAConflictingDeleteIs409() throws Exception {
        start();
        assertThat(get("/v1/jobs/nope").statusCode()).isEqualTo(404);
        assertThat(json(get("/v1/jobs/nope")).at("/error/type").asText()).isEqualTo("not_found");
        assertThat(get("/v1/jobs/nope/events").statusCode()).isEqualTo(404);
        assertThat(delete("/v1/jobs/nope").statusCode()).isEqualTo(404);
        assertThat(delete("/v1/documents/nope.txt").statusCode()).isEqualTo(404);

        model.holdCalls();
        String id = json(upload(new Multipart().file("held.txt", "Held text."))).get("job_id").asText();
        HttpResponse<String> busy = delete("/v1/documents/held.txt");
        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(json(busy).at("/error/message").asText()).contains(id);
        model.open();
        awaitEnd(id);

        HttpResponse<String> deleted = delete("/v1/documents/held.txt");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("chunks_removed").asInt()).isEqualTo(1);
        assertThat(json(get("/v1/documents")).get("total").asInt()).isZero();
    }

    @Test
    void documentsArePagedAndABadPageIs400() throws Exception {
        start();
        awaitEnd(json(upload(files("p", 5))).get("job_id").asText());

        JsonNode second = json(get("/v1/documents?page=2&size=2"));

        assertThat(second.get("documents")).extracting(d -> d.get("id").asText()).containsExactly("p/p-002.txt",
                "p/p-003.txt");
        assertThat(second.get("total").asInt()).isEqualTo(5);
        assertThat(second.get("has_more").asBoolean()).isTrue();
        assertThat(second.get("documents").get(0).get("source").asText()).isEqualTo("p/p-002.txt");
        assertThat(json(get("/v1/documents?page=0")).at("/error/field").asText()).isEqualTo("page");
        assertThat(json(get("/v1/documents?size=5000")).at("/error/field").asText()).isEqualTo("size");
        assertThat(json(get("/v1/documents?size=x")).at("/error/field").asText()).isEqualTo("size");
    }

    @Test
    void theEventStreamResumesAfterAGivenSequenceOrTheLastEventId() throws Exception {
        start();
        String id = json(upload(files("r", 2))).get("job_id").asText();
        List<Sse> all = events("/v1/jobs/" + id + "/events");

        List<Sse> rest = events("/v1/jobs/" + id + "/events?after=3");
        List<Sse> reconnected = events(request("/v1/jobs/" + id + "/events").header("Last-Event-ID", "5"));

        assertThat(rest).hasSize(all.size() - 3);
        assertThat(rest.getFirst().data().get("sequence").asInt()).isEqualTo(4);
        assertThat(rest.getLast().data()).isEqualTo(all.getLast().data());
        assertThat(reconnected).isEqualTo(all.subList(5, all.size()));
    }
}
