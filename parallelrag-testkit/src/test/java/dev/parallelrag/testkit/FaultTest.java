package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(30)
class FaultTest {

    static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
    static final String STREAM = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";

    static HttpResponse<String> chat(FakeProviderServer s, String prompt) {
        return Http.post(s.openAiBaseUrl() + "/chat/completions", CHAT.formatted(prompt), Http.bearer());
    }

    @Test
    void sequenceFiresInOrderThenServesNormally() {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.sequence(Fault.status(429).retryAfterSeconds(1), Fault.status(500), Fault.none(),
                        Fault.status(503)))
                .start()) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(chat(s, "p" + i).statusCode());
            }
            assertThat(statuses).containsExactly(429, 500, 200, 503, 200);
            assertThat(s.requests()).extracting(RecordedRequest::outcome)
                    .containsExactly("status 429", "status 500", "ok", "status 503", "ok");
            s.reset();
            assertThat(chat(s, "again").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void duringFaultsEveryRequestOfItsTimeWindowAndNoneBeforeOrAfter() throws InterruptedException {
        Instant from = Instant.now().plusMillis(300);
        Instant until = from.plusMillis(400);
        try (FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.during(from, until, Fault.status(503)))
                .start()) {
            List<Integer> before = List.of(chat(s, "a").statusCode(), chat(s, "b").statusCode());
            sleepUntil(from.plusMillis(20));
            List<Integer> inside = List.of(chat(s, "c").statusCode(), chat(s, "d").statusCode(), chat(s, "e").statusCode());
            sleepUntil(until.plusMillis(20));
            List<Integer> after = List.of(chat(s, "f").statusCode(), chat(s, "g").statusCode());

            assertThat(before).containsOnly(200);
            assertThat(inside).containsOnly(503);
            assertThat(after).containsOnly(200);
            assertThat(s.requests()).filteredOn(r -> r.outcome().equals("status 503"))
                    .allSatisfy(r -> assertThat(r.received()).isAfterOrEqualTo(from).isBefore(until));
        }
        assertThatThrownBy(() -> FaultPlan.during(until, from, Fault.status(503)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before it starts");
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    @Test
    void rateLimitFaultCarriesRetryAfterAndOpenAiResetHeaders() {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.sequence(Fault.status(429).retryAfterSeconds(2).rateLimitReset(Duration.ofMillis(1500)),
                        Fault.status(429).retryAfterDate(Duration.ofSeconds(3))))
                .start()) {
            HttpResponse<String> first = chat(s, "x");
            assertThat(first.headers().firstValue("retry-after")).hasValue("2");
            assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1.5s");
            assertThat(Http.json(first).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            HttpResponse<String> second = chat(s, "x");
            ZonedDateTime date = ZonedDateTime.parse(second.headers().firstValue("retry-after").orElseThrow(),
                    DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(date).isAfter(ZonedDateTime.now().plusSeconds(1));
        }
    }

    @Test
    void connectionResetGivesTheClientAnIOExceptionWithNoResponse() {
        try (FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.connectionReset())).start()) {
            assertThatThrownBy(() -> Http.send(s.openAiBaseUrl() + "/chat/completions", CHAT.formatted("x"),
                    Duration.ofSeconds(10), Http.bearer())).isInstanceOf(IOException.class);
            assertThat(chat(s, "x").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void stallOutlastsTheClientTimeoutAndCloseEndsIt() throws Exception {
        FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.none(), Fault.stall())).start();
        // a first, normal call warms the client and server, so the stalled one reaches the handler within 300 ms
        // even when this test is the first of the JVM on a loaded machine
        assertThat(chat(s, "warm up").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> Http.send(s.openAiBaseUrl() + "/chat/completions", CHAT.formatted("x"),
                Duration.ofMillis(300), Http.bearer())).isInstanceOf(HttpTimeoutException.class);
        assertThat(s.inFlight()).isEqualTo(1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        closing.get(10, java.util.concurrent.TimeUnit.SECONDS); // would hang for 10 minutes if the stall ignored close
    }

    @Test
    void malformedJsonIsA200WhoseBodyDoesNotParse() {
        try (FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.malformedJson())).start()) {
            HttpResponse<String> r = chat(s, "hello");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> Http.JSON.readTree(r.body())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void malformedJsonInAStreamBreaksOneEvent() {
        try (FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.malformedJson())).start()) {
            HttpResponse<String> r = Http.post(s.openAiBaseUrl() + "/chat/completions",
                    STREAM.formatted("one two three four"), Http.bearer());
            long broken = OpenAiWireTest.sseData(r.body()).stream().filter(d -> !d.equals("[DONE]")).filter(d -> {
                try {
                    Http.JSON.readTree(d);
                    return false;
                } catch (IOException e) {
                    return true;
                }
            }).count();
            assertThat(broken).isEqualTo(1);
        }
    }

    @Test
    void truncatedStreamEndsTheConnectionMidResponse() {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.sequence(Fault.truncatedStream(), Fault.truncatedStream())).start()) {
            assertThatThrownBy(() -> Http.send(s.openAiBaseUrl() + "/chat/completions",
                    STREAM.formatted("one two three four five six"), Duration.ofSeconds(10), Http.bearer()))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> Http.send(s.openAiBaseUrl() + "/chat/completions", CHAT.formatted("x"),
                    Duration.ofSeconds(10), Http.bearer())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void truncatedStreamReadLineByLineDeliversAPrefixWithoutDone() throws Exception {
        try (FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.truncatedStream())).start()) {
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.openAiBaseUrl() + "/chat/completions"))
                    .header("Authorization", "Bearer k")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(STREAM.formatted("a b c d e f g h"))).build();
            HttpResponse<java.util.stream.Stream<String>> r = Http.CLIENT.send(req, HttpResponse.BodyHandlers.ofLines());
            assertThat(r.statusCode()).isEqualTo(200);
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> r.body().forEach(seen::add)).hasRootCauseInstanceOf(IOException.class);
            assertThat(seen).isNotEmpty().noneMatch(l -> l.contains("[DONE]"));
        }
    }

    @Test
    void stallMidStreamSendsTheFirstEventsThenGoesSilentUntilItsTimeIsUp() throws Exception {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.sequence(Fault.stallMidStream(Duration.ofMillis(300)))).start();
             java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.openAiBaseUrl() + "/chat/completions"))
                    .header("Authorization", "Bearer k")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(STREAM.formatted("a b c d e f g h"))).build();
            HttpResponse<java.util.stream.Stream<String>> r = client.send(req, HttpResponse.BodyHandlers.ofLines());
            assertThat(r.statusCode()).isEqualTo(200);
            List<String> seen = new ArrayList<>();
            // the server drops the connection once the stall is over: the events before it arrived, no end marker
            assertThatThrownBy(() -> r.body().forEach(seen::add)).hasRootCauseInstanceOf(IOException.class);
            assertThat(seen).anyMatch(l -> l.contains("\"content\"")).noneMatch(l -> l.contains("[DONE]"));
            assertThat(s.requests().get(0).outcome()).isEqualTo("stall_mid_stream");
        }
    }

    @Test
    void stallMidStreamHoldsAJsonBodyHalfSentAndCloseEndsIt() throws Exception {
        FakeProviderServer s = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.stallMidStream())).start();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300); // the client is waiting for the rest of the body by then
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.close();
        });
        assertThatThrownBy(() -> Http.send(s.openAiBaseUrl() + "/chat/completions", CHAT.formatted("x"),
                Duration.ofSeconds(20), Http.bearer())).isInstanceOf(IOException.class);
        closing.get(10, java.util.concurrent.TimeUnit.SECONDS); // would hang for 10 minutes if the stall ignored close
    }

    @Test
    void wrongItemCountDropsAVectorOrDuplicatesASingleOne() {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.sequence(Fault.wrongItemCount(), Fault.wrongItemCount(), Fault.wrongItemCount())).start()) {
            JsonNode three = Http.json(Http.post(s.openAiBaseUrl() + "/embeddings",
                    "{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"]}", Http.bearer()));
            assertThat(three.path("data")).hasSize(2);
            JsonNode one = Http.json(Http.post(s.baseUrl() + "/api/embed", "{\"model\":\"m\",\"input\":\"a\"}"));
            assertThat(one.path("embeddings")).hasSize(2);
            assertThat(Http.json(chat(s, "x")).path("choices")).isEmpty();
        }
    }

    @Test
    void markerMakesOnlyMatchingItemsFailEveryTime() {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.onMarker("ITEM-7", Fault.status(400).message("item 7 is poison"))).start()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                HttpResponse<String> bad = chat(s, "ITEM-7 text");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(Http.json(bad).at("/error/message").asText()).isEqualTo("item 7 is poison");
            }
            assertThat(chat(s, "ITEM-8 text").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyPathsTargetsOneEndpoint() {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.sequence(Fault.status(500), Fault.status(500)).onlyPaths("/v1/embeddings")).start()) {
            assertThat(chat(s, "x").statusCode()).isEqualTo(200);
            assertThat(Http.post(s.openAiBaseUrl() + "/embeddings", "{\"model\":\"m\",\"input\":\"x\"}", Http.bearer())
                    .statusCode()).isEqualTo(500);
        }
    }

    @Test
    void rateHitsTheSeededShareOfRequestsAndIsRepeatable() {
        FaultPlan plan = FaultPlan.rate(0.2, 7, Fault.status(500), Fault.status(503));
        RecordedRequest any = new RecordedRequest(1, "POST", "/v1/embeddings", "", java.util.Map.of(), "{}",
                java.time.Instant.now(), "pending");
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            first.add(plan.next(any).label());
        }
        long faults = first.stream().filter(l -> !l.equals("ok")).count();
        assertThat(faults).isBetween(340L, 460L);
        assertThat(first).contains("status 500", "status 503");
        plan.reset();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            second.add(plan.next(any).label());
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    void maxPerBodyMakesFaultsTransient() {
        try (FakeProviderServer s = FakeProviderServer.builder()
                .faults(FaultPlan.rate(1.0, 1, Fault.status(503)).maxPerBody(2)).start()) {
            assertThat(chat(s, "same").statusCode()).isEqualTo(503);
            assertThat(chat(s, "same").statusCode()).isEqualTo(503);
            assertThat(chat(s, "same").statusCode()).isEqualTo(200);
            assertThat(chat(s, "other").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void faultsCanBeSwappedOnARunningServer() {
        try (FakeProviderServer s = FakeProviderServer.builder().start()) {
            assertThat(chat(s, "x").statusCode()).isEqualTo(200);
            s.faults(FaultPlan.sequence(Fault.status(404)));
            HttpResponse<String> r = chat(s, "x");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(Http.json(r).at("/error/code").asText()).isEqualTo("model_not_found");
        }
    }
}
