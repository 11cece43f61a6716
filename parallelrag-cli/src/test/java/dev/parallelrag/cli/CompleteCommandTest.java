package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CompleteCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();
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
        server.faults(FaultPlan.none());
        server.reset();
    }

    static Map<String, String> env() {
        return Map.of("OPENAI_API_KEY", "sk-cli-test-key-123", "OPENAI_BASE_URL", server.openAiBaseUrl(),
                "ANTHROPIC_API_KEY", "sk-ant-cli-test", "ANTHROPIC_BASE_URL", server.baseUrl(),
                "GEMINI_API_KEY", "g-cli-test", "GEMINI_BASE_URL", server.baseUrl(),
                "OLLAMA_HOST", server.baseUrl());
    }

    static CliRun complete(String stdin, String... args) {
        return CliRun.run(CompleteCommand::new, env(), stdin, args);
    }

    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsNotPartOfIt() {
        CliRun r = complete("\uFEFF{\"id\":\"a\",\"prompt\":\"first question\"}\nsecond\n",
                "--provider", "openai", "--model", "gpt-4o-mini");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(json(r.outLines().get(0)).get("id").asText()).isEqualTo("a");
        assertThat(json(r.outLines().get(0)).get("text").asText()).isEqualTo(FakeContent.answer("first question"));
    }

    @Test
    void jsonlAndPlainLinesComeBackInInputOrderWithUsage() {
        CliRun r = complete("{\"id\":\"a\",\"prompt\":\"first question\"}\nsecond line as plain text\n{\"id\":7,\"prompt\":\"third\"}\n",
                "--provider", "openai", "--model", "gpt-4o-mini", "--concurrency", "4");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(3);
        JsonNode first = json(lines.get(0));
        assertThat(first.get("id").asText()).isEqualTo("a");
        assertThat(first.get("text").asText()).isEqualTo(FakeContent.answer("first question"));
        assertThat(first.at("/usage/total_tokens").asInt())
                .isEqualTo(first.at("/usage/prompt_tokens").asInt() + first.at("/usage/completion_tokens").asInt());
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.has("latency_ms")).isTrue();
        assertThat(json(lines.get(1)).get("id").asInt()).isEqualTo(2);
        assertThat(json(lines.get(1)).get("text").asText()).isEqualTo("echo: second line as plain text");
        assertThat(json(lines.get(2)).get("id").asInt()).isEqualTo(7);
        assertThat(r.err()).contains("complete: 3 items, 3 ok, 0 failed");
    }

    @Test
    void manyItemsWithTransientFaultsAllSucceedAtTheirOwnIndex() {
        server.faults(FaultPlan.rate(0.2, 11, Fault.status(500), Fault.status(503), Fault.connectionReset()).maxPerBody(2));
        String input = IntStream.range(0, 120).mapToObj(i -> "prompt number " + i).collect(Collectors.joining("\n"));
        CliRun r = complete(input, "--provider", "openai", "--model", "m", "--concurrency", "16", "--stats", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(120);
        for (int i = 0; i < 120; i++) {
            JsonNode line = json(lines.get(i));
            assertThat(line.get("id").asInt()).isEqualTo(i + 1);
            assertThat(line.get("text").asText()).isEqualTo("echo: prompt number " + i);
        }
        JsonNode stats = json(r.lastErrLine());
        assertThat(stats.get("items").asInt()).isEqualTo(120);
        assertThat(stats.get("failed").asInt()).isZero();
        assertThat(stats.at("/client/retries").asLong()).isPositive();
    }

    @Test
    void permanentFailuresAreErrorObjectsForTheirItemsOnlyAndExitIsOne() {
        server.faults(FaultPlan.onMarker("POISON", Fault.status(401)));
        CliRun r = complete("good one\nPOISON item\n\n{\"id\":\"x\"}\nlast good\n",
                "--provider", "anthropic", "--model", "claude-test", "--stats", "json");
        assertThat(r.exit()).isEqualTo(1);
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(5);
        assertThat(json(lines.get(0)).get("text").asText()).isEqualTo("echo: good one");
        assertThat(json(lines.get(1)).at("/error/kind").asText()).isEqualTo("auth");
        assertThat(json(lines.get(2)).at("/error/kind").asText()).isEqualTo("validation");
        assertThat(json(lines.get(2)).get("id").asInt()).isEqualTo(3);
        assertThat(json(lines.get(3)).at("/error/kind").asText()).isEqualTo("validation");
        assertThat(json(lines.get(3)).at("/error/message").asText()).contains("prompt");
        assertThat(json(lines.get(4)).get("text").asText()).isEqualTo("echo: last good");
        assertThat(json(r.lastErrLine()).get("failed").asInt()).isEqualTo(3);
        assertThat(r.out() + r.err()).doesNotContain("sk-ant-cli-test");
    }

    @Test
    void everyChatProviderWorksAgainstTheTestkit() {
        for (String provider : List.of("openai", "anthropic", "gemini", "ollama", "compatible")) {
            CliRun r = complete("hello " + provider, "--provider", provider, "--model", "m", "--max-tokens", "50",
                    "--temperature", "0.5", "--system", "be brief");
            assertThat(r.exit()).as(provider + ": " + r.err()).isZero();
            assertThat(json(r.outLines().get(0)).get("text").asText()).isEqualTo("echo: hello " + provider);
        }
    }

    @Test
    void aTerminalGetsAProgressBarAndAPipeDoesNot() {
        String input = "a\nb\nc\n";
        CliRun tty = CliRun.run(true, CompleteCommand::new, env(), input, "--provider", "openai", "--model", "m");
        assertThat(tty.exit()).isZero();
        assertThat(tty.err()).contains("complete").contains("100%").contains("3/3");
        CliRun pipe = complete(input, "--provider", "openai", "--model", "m");
        assertThat(pipe.err()).doesNotContain("100%");
        String latency = "\"latency_ms\":\\d+";
        assertThat(tty.out().replaceAll(latency, "")).isEqualTo(pipe.out().replaceAll(latency, ""));
        assertThat(tty.outLines()).hasSize(3);
    }

    @Test
    void emptyInputSucceedsWithNothingToDo() {
        CliRun r = complete("", "--provider", "openai", "--model", "m", "--stats", "json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(json(r.lastErrLine()).get("items").asInt()).isZero();
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(complete("x", "--provider", "nope", "--model", "m").exit()).isEqualTo(2);
        assertThat(complete("x", "--provider", "openai").exit()).isEqualTo(2);
        assertThat(complete("x", "--provider", "openai", "--model", "m", "--temperature", "3").exit()).isEqualTo(2);
        assertThat(complete("x", "--provider", "openai", "--model", "m", "--stats", "yaml").exit()).isEqualTo(2);
        assertThat(complete("x", "--provider", "openai", "--model", "m", "missing-file.jsonl").exit()).isEqualTo(2);
        CliRun noKey = CliRun.run(CompleteCommand::new, Map.of(), "x", "--provider", "openai", "--model", "m");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("OPENAI_API_KEY");
    }
}
