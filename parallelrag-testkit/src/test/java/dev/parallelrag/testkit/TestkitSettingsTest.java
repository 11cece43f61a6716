package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each {@link FakeProviderServer.Builder} setting and each option of {@code parallelrag testkit} (parsed by
 * {@link TestkitMain#parse}) changes what the server does. Rows of docs/configuration.md name these.
 */
class TestkitSettingsTest {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** Runs {@code check} on a server from the builder and on one from the equivalent command line. */
    private static void both(FakeProviderServer.Builder builder, String[] args, Consumer<FakeProviderServer> check) {
        for (FakeProviderServer.Builder b : List.of(builder, TestkitMain.parse(args))) {
            try (FakeProviderServer server = b.start()) {
                check.accept(server);
            }
        }
    }

    private static HttpResponse<String> chat(FakeProviderServer server, String key) {
        return Http.post(server.openAiBaseUrl() + "/chat/completions", CHAT, "Authorization", "Bearer " + key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void maxAnswerTokensCutsEveryChatAnswerUnlessTheRequestAsksForFewer() {
        String prompt = "one two three four five six seven eight nine ten eleven twelve";
        String unlimited = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]}";
        String fewer = "{\"model\":\"m\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]}";
        both(FakeProviderServer.builder().maxAnswerTokens(5), new String[] {"--max-answer-tokens", "5"}, server -> {
            var streamed = Http.post(server.openAiBaseUrl() + "/chat/completions", unlimited, Http.bearer()).body();
            long contentEvents = streamed.lines().filter(l -> l.contains("\"content\":\"") && !l.contains("\"content\":\"\""))
                    .count();
            assertThat(contentEvents).isEqualTo(5);
            assertThat(streamed).contains("\"finish_reason\":\"length\"");
            JsonNode small = Http.json(Http.post(server.openAiBaseUrl() + "/chat/completions", fewer, Http.bearer()));
            assertThat(small.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        });
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            var streamed = Http.post(server.openAiBaseUrl() + "/chat/completions", unlimited, Http.bearer()).body();
            assertThat(streamed).doesNotContain("\"finish_reason\":\"length\"");
        }
        assertThatThrownBy(() -> FakeProviderServer.builder().maxAnswerTokens(-1))
                .hasMessageContaining("maxAnswerTokens must be >= 0");
    }

    @Test
    void hostIsTheInterfaceTheServerBinds() {
        // 127.0.0.2 is loopback too, but a server bound there is not reachable at 127.0.0.1
        both(FakeProviderServer.builder().host("127.0.0.2"), new String[] {"--host", "127.0.0.2"}, server -> {
            assertThat(server.baseUrl()).startsWith("http://127.0.0.2:");
            assertThat(chat(server, "k").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> Http.send("http://127.0.0.1:" + server.port() + "/v1/chat/completions", CHAT,
                    Duration.ofSeconds(5), "Authorization", "Bearer k")).isInstanceOf(ConnectException.class);
        });
    }

    @Test
    void portIsThePortTheServerListensOn() throws IOException {
        int a = freePort();
        try (FakeProviderServer server = FakeProviderServer.builder().port(a).start()) {
            assertThat(server.port()).isEqualTo(a);
            assertThat(chat(server, "k").statusCode()).isEqualTo(200);
        }
        int b = freePort();
        try (FakeProviderServer server = TestkitMain.parse(new String[] {"--port", String.valueOf(b)}).start()) {
            assertThat(server.port()).isEqualTo(b);
        }
    }

    @Test
    void latencyDelaysEveryResponse() {
        both(FakeProviderServer.builder().latency(Latency.fixed(Duration.ofMillis(300))), new String[] {"--latency-ms", "300"},
                server -> {
                    long t0 = System.nanoTime();
                    assertThat(chat(server, "k").statusCode()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                });
    }

    @Test
    void dimensionIsTheLengthOfEveryEmbedding() {
        both(FakeProviderServer.builder().dimension(7), new String[] {"--dimension", "7"}, server -> {
            var json = Http.json(Http.post(server.openAiBaseUrl() + "/embeddings",
                    "{\"model\":\"e\",\"input\":[\"alpha\"]}", "Authorization", "Bearer k"));
            assertThat(json.at("/data/0/embedding")).hasSize(7);
        });
    }

    @Test
    void apiKeyIsTheOnlyKeyAccepted() {
        both(FakeProviderServer.builder().apiKey("the-key"), new String[] {"--api-key", "the-key"}, server -> {
            assertThat(chat(server, "the-key").statusCode()).isEqualTo(200);
            assertThat(chat(server, "another-key").statusCode()).isEqualTo(401);
        });
    }

    @Test
    void rpmRejectsRequestsBeyondTheLimit() {
        both(FakeProviderServer.builder().rateLimit(2, 0), new String[] {"--rpm", "2"}, server -> {
            assertThat(List.of(chat(server, "k").statusCode(), chat(server, "k").statusCode(), chat(server, "k").statusCode()))
                    .containsExactly(200, 200, 429);
        });
    }

    @Test
    void tpmRejectsRequestsBeyondTheTokenLimit() {
        // each chat request costs its prompt and answer tokens; a limit of 1 token admits none after the first
        both(FakeProviderServer.builder().rateLimit(0, 1), new String[] {"--tpm", "1"}, server -> {
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                codes.add(chat(server, "k").statusCode());
            }
            assertThat(codes).contains(429);
        });
    }

    @Test
    void faultRateAndSeedDecideWhichRequestsFail() {
        List<List<Integer>> runs = new ArrayList<>();
        for (String seed : new String[] {"7", "7", "8"}) {
            try (FakeProviderServer server = TestkitMain.parse(new String[] {"--fault-rate", "0.5", "--seed", seed}).start()) {
                List<Integer> codes = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    codes.add(chat(server, "k").statusCode());
                }
                runs.add(codes);
            }
        }
        assertThat(runs.get(0)).as("fault rate 0.5 fails some requests and serves others").contains(200)
                .anyMatch(code -> code == 429 || code >= 500);
        assertThat(runs.get(1)).as("the same seed fails the same requests").isEqualTo(runs.get(0));
        assertThat(runs.get(2)).as("another seed draws another sequence").isNotEqualTo(runs.get(0));
    }

    @Test
    void recordLimitBoundsTheRequestsKept() {
        try (FakeProviderServer server = FakeProviderServer.builder().recordLimit(2).start()) {
            for (int i = 0; i < 3; i++) {
                chat(server, "k");
            }
            assertThat(server.requests()).hasSize(2);
            assertThat(server.requests().get(1).sequence()).isGreaterThan(server.requests().get(0).sequence());
        }
    }
}
