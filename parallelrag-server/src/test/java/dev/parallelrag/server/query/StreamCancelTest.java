package dev.parallelrag.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Latency;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed answer over the testkit's slow fake LLM: heartbeats while the model is silent, and a client that goes
 * away stops the LLM call, whether the model was streaming tokens or had not answered yet. The fake sees its
 * stream cut (no longer in flight long before it would have finished), and the LLM client counts no failure.
 */
@Timeout(120)
class StreamCancelTest {

    private static final String CHAT = "{\"model\":\"parallelrag\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"What did Lincoln say about the slave trade?\"}]}";
    private static final String ASK = "{\"question\":\"What did Lincoln say about the slave trade?\",\"stream\":true}";

    @TempDir
    static Path dir;

    private static Path index;

    @BeforeAll
    static void ingest() throws Exception {
        index = SampleServer.index(dir);
    }

    /** A raw HTTP/1.1 client, so the test decides when the connection drops. */
    private static final class RawClient implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        RawClient(int port, String path, String json) throws Exception {
            socket = new Socket("127.0.0.1", port);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer any-key\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Reads until a line starting with {@code prefix} was seen {@code times} times; false if the stream ended. */
        boolean await(String prefix, int times) throws Exception {
            int seen = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(prefix) && ++seen == times) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static LlmClient llm(FakeProviderServer fake) {
        return Providers.llmClient(ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(fake.openAiBaseUrl()).apiKey("k")
                .build(), "gpt-4o-mini");
    }

    /** Polls for up to 20 s: a liveness check, not a timing claim. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void aClientLeavingMidStreamCutsTheLlmsStream() throws Exception {
        // the fake echoes the prompt of five sources, hundreds of tokens: minutes at 200 ms a token
        try (FakeProviderServer fake = FakeProviderServer.builder().streamChunkDelay(Duration.ofMillis(200)).start();
             LlmClient llm = llm(fake);
             SampleServer server = SampleServer.start(index, llm, Duration.ofSeconds(10))) {
            try (RawClient client = new RawClient(server.port(), "/v1/chat/completions", CHAT)) {
                assertThat(client.await("data: {", 3)).isTrue(); // the role chunk and two pieces of text
                assertThat(fake.inFlight()).isEqualTo(1);
            }
            assertThat(eventually(() -> fake.inFlight() == 0)).as("the fake LLM is still streaming").isTrue();
            assertThat(eventually(() -> llm.stats().inFlight() == 0)).isTrue();
            assertThat(llm.executor().window().counts().failures()).isZero();
            assertThat(llm.stats().retries()).isZero();
            assertThat(fake.requestCount("/v1/chat/completions")).isEqualTo(1);
        }
    }

    @Test
    void aStreamWaitingForItsFirstTokenIsOpenAtOnceNotAtTheFirstHeartbeat() throws Exception {
        // the model is silent for 10 s and the heartbeat is 5 minutes away: only the stream's opening can reach the
        // client meanwhile, as it must for a request that waits behind the embedder's pool or the LLM's in-flight limit
        try (FakeProviderServer fake = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofSeconds(10))).start();
             LlmClient llm = llm(fake);
             SampleServer server = SampleServer.start(index, llm, Duration.ofMinutes(5))) {
            try (RawClient client = new RawClient(server.port(), "/v1/chat/completions", CHAT)) {
                assertThat(client.in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                List<String> before = new ArrayList<>();
                String line = client.in.readLine();
                for (; line != null && !line.equals(": open"); line = client.in.readLine()) {
                    before.add(line);
                }
                assertThat(line).as("the stream's opening comment").isEqualTo(": open");
                assertThat(before).as("the headers, then : open").anyMatch(h -> h.toLowerCase(Locale.ROOT)
                        .startsWith("content-type: text/event-stream")).noneMatch(l -> l.startsWith("data:"));
                assertThat(eventually(() -> llm.stats().inFlight() == 1)).as("the answer waits for the model").isTrue();
            }
            // the model's first token finds the client gone and stops the call
            assertThat(eventually(() -> llm.stats().inFlight() == 0)).as("the LLM call still runs").isTrue();
        }
    }

    @Test
    void heartbeatsKeepASilentStreamAliveAndALeavingClientStopsTheWaitForTheFirstToken() throws Exception {
        try (FakeProviderServer fake = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofSeconds(60))).start();
             LlmClient llm = llm(fake);
             SampleServer server = SampleServer.start(index, llm, Duration.ofMillis(100))) {
            try (RawClient client = new RawClient(server.port(), "/v1/ask", ASK)) {
                assertThat(client.await(": heartbeat", 2)).as("heartbeats while the model is silent").isTrue();
                assertThat(llm.stats().inFlight()).isEqualTo(1);
            }
            // the next heartbeat finds the client gone and cuts off the call that waits for the model's first byte
            assertThat(eventually(() -> llm.stats().inFlight() == 0)).as("the LLM call still runs").isTrue();
            assertThat(llm.executor().window().counts().failures()).isZero();
            assertThat(llm.stats().retries()).isZero();
        }
    }
}
