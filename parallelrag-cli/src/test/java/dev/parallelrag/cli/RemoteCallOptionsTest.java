package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --timeout}, {@code --max-attempts}, {@code --rpm} and {@code --tpm} each change what reaches the provider.
 * Runs whose one request is meant to fail take {@code --outage-wait 0s}: alone in flight, it would otherwise wait
 * {@code maxBackoff} (5 s) for another request to tell it of an outage before failing (OutageVerdictTest covers that).
 */
@Timeout(180)
class RemoteCallOptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOUR_PROMPTS = "one\ntwo\nthree\nfour\n";

    @TempDir
    Path work;

    private FakeProviderServer server;

    @BeforeEach
    void start() {
        server = FakeProviderServer.builder().dimension(16).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, String> env() {
        return Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", server.openAiBaseUrl());
    }

    private CliRun complete(String stdin, String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("--provider", "openai", "--model", "gpt-4o-mini"));
        args.addAll(List.of(flags));
        return CliRun.run(CompleteCommand::new, env(), stdin, args.toArray(String[]::new));
    }

    private static List<JsonNode> errors(CliRun run) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : run.outLines()) {
            JsonNode n = JSON.readTree(line);
            if (n.has("error")) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void timeoutEndsAnAttemptTheProviderTakesTooLongFor() throws Exception {
        server.faults(FaultPlan.sequence(Fault.stall())); // 10 minutes: the provider's 60 s default would wait it out
        CliRun run = complete("slow\n", "--timeout", "800ms", "--max-attempts", "1", "--outage-wait", "0s");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(errors(run)).singleElement().satisfies(e -> assertThat(e.toString()).contains("timeout").contains("800 ms"));
        CliRun fine = complete("quick\n", "--timeout", "800ms");
        assertThat(fine.exit()).as(fine.err()).isZero();
    }

    @Test
    void maxAttemptsBoundsTheRetries() {
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(503)));
        assertThat(complete("down\n", "--max-attempts", "2", "--outage-wait", "0s").exit()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(2);
        server.reset();
        assertThat(complete("down\n", "--max-attempts", "1", "--outage-wait", "0s").exit()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void rpmSpacesRequestsSoAProviderLimitIsNeverHit() throws Exception {
        try (FakeProviderServer limited = FakeProviderServer.builder().rateLimit(2, 0)
                .rateLimitWindow(Duration.ofSeconds(1)).start()) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", limited.openAiBaseUrl());
            String[] args = {"--provider", "openai", "--model", "m", "--concurrency", "4", "--max-attempts", "1"};
            CliRun burst = CliRun.run(CompleteCommand::new, env, FOUR_PROMPTS, args);
            assertThat(errors(burst)).as("without --rpm, four at once overrun 2 per second").isNotEmpty();

            limited.reset();
            String[] spaced = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--rpm", "60"))
                    .toArray(String[]::new);
            CliRun run = CliRun.run(CompleteCommand::new, env, FOUR_PROMPTS, spaced);
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(limited.requests()).extracting(r -> r.outcome()).containsOnly("ok");
        }
    }

    @Test
    void tpmHoldsBackRequestsWhoseTokensWouldOverrunTheBudget() {
        // each request reserves about 40,000 tokens (prompt + --max-tokens); a 60,000 budget lets one run at a
        // time, and the next starts when the first gives back what it did not use
        server.latency(Latency.fixed(Duration.ofMillis(300)));
        CliRun free = complete(FOUR_PROMPTS, "--concurrency", "4", "--max-tokens", "40000");
        assertThat(free.exit()).as(free.err()).isZero();
        assertThat(server.maxInFlight()).isGreaterThan(1);

        server.reset();
        CliRun limited = complete(FOUR_PROMPTS, "--concurrency", "4", "--max-tokens", "40000", "--tpm", "60000");
        assertThat(limited.exit()).as(limited.err()).isZero();
        assertThat(server.maxInFlight()).isEqualTo(1);
    }

    @Test
    void embedTakesTheFlagsForARemoteProviderAndRefusesThemForTheLocalOne() {
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(500)));
        CliRun run = CliRun.run(EmbedCommand::new, env(), "alpha\n", "--provider", "openai", "--model", "e",
                "--max-attempts", "3", "--outage-wait", "0s");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(3);

        CliRun local = CliRun.run(EmbedCommand::new, env(), "alpha\n", "--timeout", "5s");
        assertThat(local.exit()).isEqualTo(2);
        assertThat(local.err()).contains("remote providers only");
    }

    @Test
    void embedWaitsOutAnOutageWithOutageWaitAndFailsFastWithoutIt() {
        // one text per request, one attempt each: five failures in a row open the breaker
        String texts = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "text " + i)
                .collect(java.util.stream.Collectors.joining("\n"));
        Fault[] outage = new Fault[10];
        java.util.Arrays.fill(outage, Fault.status(503));
        List<String> flags = List.of("--provider", "openai", "--model", "e", "--batch-size", "1", "--concurrency", "4",
                "--max-attempts", "1", "--breaker-open", "500ms");

        server.faults(FaultPlan.sequence(outage));
        List<String> waits = new java.util.ArrayList<>(flags);
        waits.addAll(List.of("--outage-wait", "1m"));
        CliRun waited = CliRun.run(EmbedCommand::new, env(), texts, waits.toArray(String[]::new));
        assertThat(waited.exit()).as(waited.err()).isZero();
        assertThat(waited.outLines()).hasSize(40);

        server.reset();
        server.faults(FaultPlan.sequence(outage));
        List<String> fast = new java.util.ArrayList<>(flags);
        fast.addAll(List.of("--outage-wait", "0s"));
        CliRun failed = CliRun.run(EmbedCommand::new, env(), texts, fast.toArray(String[]::new));
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).contains("circuit_open");
    }

    @Test
    void breakerAndOutageFlagsSetTheLibrarySettingsAndNameThemselvesInErrors() {
        RemoteCallOptions options = new RemoteCallOptions();
        options.breakerOpen = java.time.Duration.ofSeconds(5);
        options.outageWait = java.time.Duration.ofSeconds(90);
        assertThat(options.resilience()).hasValueSatisfying(c -> {
            assertThat(c.breakerOpenDuration()).isEqualTo(java.time.Duration.ofSeconds(5));
            assertThat(c.outageWait()).isEqualTo(java.time.Duration.ofSeconds(90));
        });
        options.outageWait = java.time.Duration.ofSeconds(-1);
        assertThatThrownBy(options::resilience).hasMessageContaining("--outage-wait");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag() {
        CliRun zero = complete("x\n", "--max-attempts", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--max-attempts").contains("between 1 and 20");
        CliRun words = complete("x\n", "--timeout", "soon");
        assertThat(words.exit()).isEqualTo(2);
        assertThat(words.err()).contains("800ms, 30s");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void ingestWithARemoteEmbedderAndAskWithAnLlmTakeTheFlags() throws Exception {
        Path docs = Files.createDirectories(work.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "Canals carried grain to the cities.\n");
        Map<String, String> env = env();
        server.faults(FaultPlan.sequence(Fault.status(500)).onlyPaths("/embeddings"));
        CliProcess ingest = CliProcess.run(work, env, "ingest", "docs", "--embedder", "compatible", "--model", "e",
                "--max-attempts", "1", "--outage-wait", "0s", "--json");
        assertThat(ingest.exitCode()).as(ingest.err()).isEqualTo(1);
        assertThat(server.requestCount("/embeddings")).as("one attempt, no retry").isEqualTo(1);

        server.reset();
        server.faults(FaultPlan.none());
        CliProcess again = CliProcess.run(work, env, "ingest", "docs", "--embedder", "compatible", "--model", "e", "--json");
        assertThat(again.exitCode()).as(again.err()).isZero();

        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.stall()).onlyPaths("/chat/completions"));
        CliProcess ask = CliProcess.run(work, env, "ask", "What did canals carry?", "--llm", "openai", "--timeout", "800ms",
                "--max-attempts", "1", "--outage-wait", "0s");
        assertThat(ask.exitCode()).isEqualTo(1);
        assertThat(ask.err()).contains("800 ms");
        assertThat(server.requestCount("/chat/completions")).isEqualTo(1);

        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = ParallelRagCommand.newCommandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        int noLlm = cli.execute("ask", "What did canals carry?", "--index", work.resolve(".parallelrag").toString(),
                "--timeout", "800ms");
        assertThat(noLlm).isEqualTo(2);
        assertThat(err.toString()).contains("--llm none");
    }
}
