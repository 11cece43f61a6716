package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Latency;
import dev.parallelrag.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The options of {@code complete} and {@code embed} reach the provider: each, set away from its default,
 * changes the requests the fake server receives. Rows of docs/configuration.md name these.
 */
@Timeout(60)
class RemoteCommandOptionsTest {

    static FakeProviderServer server;

    @BeforeAll
    static void start() {
        server = FakeProviderServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clean() {
        server.latency(Latency.none());
        server.reset();
    }

    private static Map<String, String> env() {
        return Map.of("OPENAI_API_KEY", "sk-cli-test", "OPENAI_BASE_URL", server.openAiBaseUrl());
    }

    private static String lines(int n) {
        return IntStream.range(0, n).mapToObj(i -> "line number " + i).collect(Collectors.joining("\n", "", "\n"));
    }

    private static CliRun complete(String stdin, String... options) {
        return run(CompleteCommand::new, "gpt-4o-mini", stdin, options);
    }

    private static CliRun embed(String stdin, String... options) {
        return run(EmbedCommand::new, "text-embedding-3-small", stdin, options);
    }

    /** Runs the command against the fake OpenAI endpoint with {@code --provider openai --model M} and the options. */
    private static CliRun run(Function<CliIo, Callable<Integer>> command, String model, String stdin, String... options) {
        List<String> args = new ArrayList<>(List.of("--provider", "openai", "--model", model));
        args.addAll(List.of(options));
        CliRun r = CliRun.run(command, env(), stdin, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    private static String lastBody() {
        return server.requests().get(server.requests().size() - 1).body();
    }

    @Test
    void completeMaxTokensTemperatureAndSystemReachTheRequest() {
        complete("a question\n", "--max-tokens", "4321", "--temperature", "0.37", "--system", "SYSTEM-PROMPT-MARK");
        assertThat(lastBody()).contains("4321", "0.37", "SYSTEM-PROMPT-MARK");

        complete("a question\n");
        assertThat(lastBody()).doesNotContain("4321").doesNotContain("0.37").doesNotContain("SYSTEM-PROMPT-MARK");
    }

    @Test
    void completeConcurrencyBoundsRequestsInFlight() {
        server.latency(Latency.fixed(Duration.ofMillis(150)));
        complete(lines(8), "--concurrency", "2");
        assertThat(server.maxInFlight()).isBetween(1, 2);
    }

    @Test
    void embedBatchSizeIsTheNumberOfTextsPerRequest() {
        embed(lines(6), "--batch-size", "2");
        assertThat(server.requests()).hasSize(3).extracting(RecordedRequest::path).allMatch(p -> p.endsWith("/embeddings"));
    }

    @Test
    void embedConcurrencyBoundsRequestsInFlight() {
        server.latency(Latency.fixed(Duration.ofMillis(150)));
        embed(lines(8), "--batch-size", "1", "--concurrency", "2");
        assertThat(server.requests()).hasSize(8);
        assertThat(server.maxInFlight()).isBetween(1, 2);
    }
}
