package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.stress.GeneratedText;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import dev.parallelrag.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, the fault and stress suite: {@code parallelrag complete} over 5,000 prompts at concurrency 64 against the
 * testkit, with 30 % of requests failing (500, 503, connection resets, stalls past the attempt timeout; not capped
 * per prompt, so a prompt can fail for good) and a 5 s outage in which every request fails (503, 429 with
 * {@code Retry-After}, connection resets), once half the prompts' first requests have gone by. Every prompt is
 * answered or reported, each id exactly once and in input order, each answer the testkit's answer to its own
 * prompt, and the success rate is reported (stdout and {@code target/stress/complete-under-faults.txt}).
 *
 * <p>The 429s are in the outage, not in the steady 30 %: a provider that answers a steady share of requests with 429
 * is one the adaptive concurrency limit should back off from, and it does (halved per 429, one more per window of
 * successes): with 429s in the steady mix the same run took 279 s instead of about 65 s (docs/BENCHMARKS.md).
 */
@Timeout(600)
class CompleteUnderFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROMPTS = 5_000;
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** 4 attempts at 30 % faults leave about 0.8 % of prompts failed for good; far fewer answers means the waits broke. */
    private static final double LEAST_SUCCESS_RATE = 0.97;

    @Test
    void fiveThousandPromptsThroughFaultsAndAFiveSecondOutageAreEachAnsweredOrReportedOnceInOrder() throws Exception {
        GeneratedText text = new GeneratedText(5_000);
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < PROMPTS; i++) {
            prompts.add("prompt " + i + ": " + text.sentence(6 + text.nextInt(8)));
        }
        FaultPlan faults = FaultPlan.rate(0.3, 31, Fault.status(500), Fault.status(503), Fault.connectionReset(),
                Fault.stall(Duration.ofSeconds(6)));
        FaultPlan outage = FaultPlan.rate(1.0, 32, Fault.status(503), Fault.rateLimited(1), Fault.connectionReset());
        try (FakeProviderServer server = FakeProviderServer.builder()
                .latency(Latency.uniform(Duration.ofMillis(5), Duration.ofMillis(30), 3)).faults(faults).start()) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-faults", "OPENAI_BASE_URL", server.openAiBaseUrl());
            long t0 = System.nanoTime();
            CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(() -> CliRun.run(CompleteCommand::new, env,
                    String.join("\n", prompts), "--provider", "openai", "--model", "gpt-4o-mini", "--concurrency", "64",
                    "--max-attempts", "4", "--timeout", "2s", "--breaker-open", "1s", "--stats", "json"));
            int outageFrom = -1;
            while (!running.isDone()) {
                if (server.requestCount() >= PROMPTS / 2) {
                    outageFrom = server.requestCount();
                    server.faults(outage);
                    Thread.sleep(OUTAGE);
                    server.faults(faults);
                    break;
                }
                Thread.sleep(10);
            }
            CliRun run = running.get(5, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - t0) / 1e9;

            List<String> lines = run.outLines();
            int answered = 0;
            Map<String, Integer> failedByKind = new TreeMap<>();
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                JsonNode line = JSON.readTree(lines.get(i));
                if (line.get("id").asInt() != i + 1) {
                    wrong.add("line " + (i + 1) + " has id " + line.get("id"));
                } else if (line.has("error")) {
                    failedByKind.merge(line.at("/error/kind").asText(), 1, Integer::sum);
                } else if (line.path("text").asText().equals(FakeContent.answer(prompts.get(i)))) {
                    answered++;
                } else {
                    wrong.add("line " + (i + 1) + " answers " + line.path("text").asText() + " to " + prompts.get(i));
                }
            }
            int failed = failedByKind.values().stream().mapToInt(Integer::intValue).sum();
            Map<String, Long> outcomes = server.requests().stream()
                    .collect(Collectors.groupingBy(RecordedRequest::outcome, TreeMap::new, Collectors.counting()));
            String report = String.format(Locale.ROOT, "complete under faults: %d prompts at concurrency 64 in %.1f s; %d requests "
                            + "(5 s outage from request %d), outcomes %s; answered %d, failed %d %s, success rate %.2f %%%n",
                    PROMPTS, seconds, server.requestCount(), outageFrom, outcomes, answered, failed, failedByKind,
                    100.0 * answered / PROMPTS);
            Files.writeString(Files.createDirectories(Path.of("target", "stress")).resolve("complete-under-faults.txt"), report);
            System.out.print(report);

            assertThat(outageFrom).as("the outage began while complete ran").isPositive();
            assertThat(lines).as(run.err()).hasSize(PROMPTS);
            assertThat(wrong).as("lines out of order or answers to another prompt").isEmpty();
            assertThat(answered + failed).isEqualTo(PROMPTS);
            assertThat(run.exit()).isEqualTo(failed == 0 ? 0 : 1);
            JsonNode stats = JSON.readTree(run.lastErrLine());
            assertThat(stats.get("failed").asInt()).isEqualTo(failed);
            assertThat(outcomes.keySet()).as("the faults happened").contains("status 500", "status 503", "status 429",
                    "connection_reset", "stall");
            assertThat((double) answered / PROMPTS).as(report).isGreaterThanOrEqualTo(LEAST_SUCCESS_RATE);
        }
    }
}
