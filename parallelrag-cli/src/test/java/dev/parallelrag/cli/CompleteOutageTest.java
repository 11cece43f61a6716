package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A provider outage ends in answers, not in a wall of {@code circuit_open}: the provider answers its first N
 * requests with 503 and is healthy after that. The breaker opens (5 failed calls in a row), the other calls
 * wait for it ({@code --outage-wait}), the probes find the provider up, and every prompt is answered, in input
 * order. With {@code --outage-wait 0} the same outage fails prompts fast, which is what the wait changes.
 * The breaker stays open 1 s here ({@code --breaker-open}) instead of 60 s, to keep the test short.
 */
@Timeout(180)
class CompleteOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} failed requests, {1} prompts, --max-attempts {2}")
    @CsvSource({"20, 30, 4", "200, 500, 4"})
    void everyPromptIsAnsweredOnceTheProviderRecovers(int failing, int prompts, int attempts) throws Exception {
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            server.faults(outage(failing));
            CliRun run = complete(server, prompts, "--max-attempts", "" + attempts, "--breaker-open", "1s",
                    "--outage-wait", "2m");

            assertThat(run.exit()).as(run.err()).isZero();
            List<String> lines = run.outLines();
            assertThat(lines).hasSize(prompts);
            for (int i = 0; i < prompts; i++) {
                JsonNode line = JSON.readTree(lines.get(i));
                assertThat(line.get("id").asInt()).isEqualTo(i + 1);
                assertThat(line.get("text").asText()).isEqualTo("echo: prompt number " + i);
            }
            JsonNode stats = JSON.readTree(run.lastErrLine());
            assertThat(stats.get("failed").asInt()).isZero();
            assertThat(server.requests()).hasSizeGreaterThanOrEqualTo(failing + prompts);
            if (failing > 20) { // requests failed in a row: the breaker opened and closed again
                assertThat(stats.at("/client/breaker/transitions").asLong()).isGreaterThanOrEqualTo(2);
                assertThat(stats.at("/client/breaker/state").asText()).isEqualTo("CLOSED");
            }
        }
    }

    @Test
    void withoutTheWaitTheSameOutageFailsPromptsFast() throws Exception {
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            server.faults(outage(20));
            CliRun run = complete(server, 30, "--max-attempts", "1", "--breaker-open", "1s", "--outage-wait", "0s");

            assertThat(run.exit()).isEqualTo(1);
            List<String> kinds = run.outLines().stream().map(CompleteOutageTest::errorKind).toList();
            assertThat(kinds).hasSize(30).contains("circuit_open");
        }
    }

    private static FaultPlan outage(int failing) {
        Fault[] faults = new Fault[failing];
        Arrays.fill(faults, Fault.status(503));
        return FaultPlan.sequence(faults);
    }

    private static CliRun complete(FakeProviderServer server, int prompts, String... options) {
        String input = IntStream.range(0, prompts).mapToObj(i -> "prompt number " + i).collect(Collectors.joining("\n"));
        List<String> args = new java.util.ArrayList<>(List.of("--provider", "openai", "--model", "m", "--concurrency", "16",
                "--stats", "json"));
        args.addAll(List.of(options));
        return CliRun.run(CompleteCommand::new, Map.of("OPENAI_API_KEY", "sk-outage-test", "OPENAI_BASE_URL",
                server.openAiBaseUrl()), input, args.toArray(String[]::new));
    }

    private static String errorKind(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node.has("error") ? node.at("/error/kind").asText() : "answered";
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
