package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code complete --fallback-llm} end to end against two testkit servers: a primary that fails and a fallback at
 * another base URL, with another key. Every line says which LLM served it; {@code --fallback-cooldown} decides when
 * traffic returns to the primary; bad fallback text is a usage error naming the option.
 */
@Timeout(120)
class CompleteFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeProviderServer primary;
    private FakeProviderServer fallback;

    @BeforeEach
    void start() {
        primary = FakeProviderServer.builder().start();
        fallback = FakeProviderServer.builder().apiKey("sk-backup-key").start();
    }

    @AfterEach
    void stop() {
        primary.close();
        fallback.close();
    }

    private CliRun complete(int prompts, String... options) {
        String input = IntStream.range(0, prompts).mapToObj(i -> "prompt number " + i).collect(Collectors.joining("\n"));
        List<String> args = new ArrayList<>(List.of("--provider", "openai", "--model", "gpt-4o", "--stats", "json"));
        args.addAll(List.of(options));
        return CliRun.run(CompleteCommand::new, Map.of("OPENAI_API_KEY", "sk-primary-key", "OPENAI_BASE_URL",
                primary.openAiBaseUrl(), "BACKUP_KEY", "sk-backup-key"), input, args.toArray(String[]::new));
    }

    private String fallbackSpec() {
        return "openai:gpt-4o-mini@" + fallback.openAiBaseUrl() + "#BACKUP_KEY";
    }

    @Test
    void aPrimaryThatIsDownIsReplacedByTheFallbackAndEveryLineSaysWhoServedIt() throws Exception {
        primary.faults(FaultPlan.rate(1.0, 1, Fault.status(503)));
        CliRun run = complete(20, "--concurrency", "4", "--fallback-llm", fallbackSpec());

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(20);
        for (int i = 0; i < 20; i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertThat(line.get("id").asInt()).isEqualTo(i + 1);
            assertThat(line.get("text").asText()).isEqualTo(FakeContent.answer("prompt number " + i));
            assertThat(line.get("served_by").asText()).isEqualTo("openai:gpt-4o-mini");
        }
        assertThat(fallback.requests()).hasSize(20).allSatisfy(r ->
                assertThat(r.header("authorization")).hasValue("Bearer sk-backup-key"));
        assertThat(primary.requestCount()).as("one probe per 30 s cooldown at most, after the first failures")
                .isLessThanOrEqualTo(4);
        JsonNode stats = JSON.readTree(run.lastErrLine());
        assertThat(stats.get("failed").asInt()).isZero();
        assertThat(stats.at("/client/failovers/0/from").asText()).isEqualTo("openai:gpt-4o");
        assertThat(stats.at("/client/failovers/0/to").asText()).isEqualTo("openai:gpt-4o-mini");
        assertThat(stats.at("/client/failovers/0/count").asInt()).isEqualTo(20);
        assertThat(run.err()).doesNotContain("sk-backup-key").doesNotContain("sk-primary-key");
    }

    @Test
    void withoutFallbacksAnswersSayThePrimaryServedThem() throws Exception {
        CliRun run = complete(3);

        assertThat(run.exit()).as(run.err()).isZero();
        for (String line : run.outLines()) {
            assertThat(JSON.readTree(line).get("served_by").asText()).isEqualTo("openai:gpt-4o");
        }
    }

    @Test
    void fallbackCooldownIsWhenTrafficReturnsToThePrimary() throws Exception {
        fallback.latency(Latency.fixed(Duration.ofMillis(100)));
        primary.latency(Latency.fixed(Duration.ofMillis(100)));
        // the first request fails, nothing after it: only the cooldown keeps the primary passed over
        primary.faults(FaultPlan.sequence(Fault.status(503)));
        CliRun shortCooldown = complete(12, "--concurrency", "1", "--fallback-llm", fallbackSpec(),
                "--fallback-cooldown", "300ms");
        primary.reset();
        fallback.reset();
        CliRun defaultCooldown = complete(12, "--concurrency", "1", "--fallback-llm", fallbackSpec());

        assertThat(shortCooldown.exit()).as(shortCooldown.err()).isZero();
        assertThat(defaultCooldown.exit()).as(defaultCooldown.err()).isZero();
        List<String> servedShort = servedBy(shortCooldown);
        assertThat(servedShort.getFirst()).isEqualTo("openai:gpt-4o-mini");
        assertThat(servedShort.getLast()).as("300 ms after the failure the primary is back").isEqualTo("openai:gpt-4o");
        assertThat(servedBy(defaultCooldown)).as("the default 30 s cooldown outlasts the run")
                .containsOnly("openai:gpt-4o-mini");
    }

    @Test
    void badFallbackTextIsAUsageErrorNamingTheOption() {
        CliRun unknown = complete(1, "--fallback-llm", "nosuch:model");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--fallback-llm").contains("nosuch").contains("openai");

        CliRun noKey = complete(1, "--fallback-llm", "openai:gpt-4o-mini#NOT_SET_ANYWHERE");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("--fallback-llm").contains("NOT_SET_ANYWHERE");

        CliRun cooldownAlone = complete(1, "--fallback-cooldown", "5s");
        assertThat(cooldownAlone.exit()).isEqualTo(2);
        assertThat(cooldownAlone.err()).contains("--fallback-cooldown").contains("--fallback-llm");

        CliRun zero = complete(1, "--fallback-llm", fallbackSpec(), "--fallback-cooldown", "0s");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--fallback-cooldown").contains("positive");
        assertThat(primary.requestCount() + fallback.requestCount()).as("nothing was sent").isZero();
    }

    private static List<String> servedBy(CliRun run) {
        return run.outLines().stream().map(l -> {
            try {
                return JSON.readTree(l).get("served_by").asText();
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }
}
