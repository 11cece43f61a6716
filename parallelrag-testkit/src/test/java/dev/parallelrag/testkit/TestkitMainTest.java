package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestkitMainTest {

    @Test
    void helpAndBadOptionsReturnWithoutStartingAServer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(TestkitMain.run(new String[] {"--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--latency-ms", "--rpm", "--fault-rate");
        assertThat(TestkitMain.run(new String[] {"--bogus", "1"}, o, e)).isEqualTo(2);
        assertThat(TestkitMain.run(new String[] {"--port"}, o, e)).isEqualTo(2);
        assertThat(TestkitMain.run(new String[] {"--port", "70000"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus", "needs a value", "port must be");
    }

    @Test
    void streamChunkDelayOptionSlowsEveryStreamedEventAfterTheFirst() {
        try (FakeProviderServer server = TestkitMain.parse(new String[] {"--stream-chunk-delay-ms", "150"}).start()) {
            long start = System.nanoTime();
            var r = Http.post(server.openAiBaseUrl() + "/chat/completions", """
                    {"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Http.bearer());
            long millis = (System.nanoTime() - start) / 1_000_000;
            long events = r.body().lines().filter(l -> l.startsWith("data:")).count();
            assertThat(events).isGreaterThan(2);
            // a lower bound only: each event after the first waits at least the delay
            assertThat(millis).isGreaterThanOrEqualTo(150 * (events - 1));
        }
    }

    @Test
    void bannerPrintsTheEnvironmentForEveryProvider() {
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            assertThat(String.join("\n", TestkitMain.banner(server)))
                    .contains("OPENAI_BASE_URL=" + server.baseUrl() + "/v1", "ANTHROPIC_BASE_URL=" + server.baseUrl(),
                            "GEMINI_BASE_URL=", "OLLAMA_HOST=" + server.baseUrl());
        }
    }
}
