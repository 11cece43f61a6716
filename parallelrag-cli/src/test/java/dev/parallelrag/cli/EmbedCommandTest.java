package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EmbedCommandTest {

    static FakeProviderServer server;

    @BeforeAll
    static void start() {
        server = FakeProviderServer.builder().dimension(16).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CliRun embed(String stdin, String... args) {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-embed-test", "OPENAI_BASE_URL", server.openAiBaseUrl(),
                "GEMINI_API_KEY", "g", "GEMINI_BASE_URL", server.baseUrl(), "OLLAMA_HOST", server.baseUrl());
        return CliRun.run(EmbedCommand::new, env, stdin, args);
    }

    static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    @Test
    void vectorsComeBackInInputOrderForEveryRemoteProvider() {
        String input = IntStream.range(0, 25).mapToObj(i -> "{\"id\":\"t" + i + "\",\"text\":\"text number " + i + "\"}")
                .collect(Collectors.joining("\n"));
        for (String provider : List.of("openai", "gemini", "ollama", "compatible")) {
            CliRun r = embed(input, "--provider", provider, "--model", "emb", "--batch-size", "4", "--concurrency", "3");
            assertThat(r.exit()).as(provider + ": " + r.err()).isZero();
            List<String> lines = r.outLines();
            assertThat(lines).hasSize(25);
            for (int i = 0; i < 25; i++) {
                JsonNode line = CompleteCommandTest.json(lines.get(i));
                assertThat(line.get("id").asText()).isEqualTo("t" + i);
                assertThat(floats(line.get("embedding"))).containsExactly(FakeContent.embedding("text number " + i, 16));
            }
        }
    }

    @Test
    void aPoisonTextFailsAloneAndBlankLinesAreValidationErrors() {
        server.faults(FaultPlan.onMarker("POISON", Fault.status(400)));
        try {
            CliRun r = embed("alpha\nPOISON\n  \ngamma\n", "--provider", "openai", "--model", "emb", "--batch-size", "4",
                    "--stats", "json");
            assertThat(r.exit()).isEqualTo(1);
            List<String> lines = r.outLines();
            assertThat(lines).hasSize(4);
            assertThat(CompleteCommandTest.json(lines.get(0)).has("embedding")).isTrue();
            assertThat(CompleteCommandTest.json(lines.get(1)).at("/error/kind").asText()).isEqualTo("validation");
            assertThat(CompleteCommandTest.json(lines.get(2)).at("/error/kind").asText()).isEqualTo("validation");
            assertThat(CompleteCommandTest.json(lines.get(3)).has("embedding")).isTrue();
            JsonNode stats = CompleteCommandTest.json(r.lastErrLine());
            assertThat(stats.get("succeeded").asInt()).isEqualTo(2);
            assertThat(stats.get("failed").asInt()).isEqualTo(2);
        } finally {
            server.faults(FaultPlan.none());
        }
    }

    @Test
    void localIsTheDefaultProviderAndEmbedsWithTheBundledModel() {
        CliRun r = embed("The president spoke.\n{\"id\":\"b\",\"text\":\"A second text\"}\n", "--stats", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(2);
        assertThat(CompleteCommandTest.json(lines.get(0)).get("id").asInt()).isEqualTo(1);
        assertThat(CompleteCommandTest.json(lines.get(0)).get("embedding")).hasSize(384);
        assertThat(CompleteCommandTest.json(lines.get(1)).get("id").asText()).isEqualTo("b");
        assertThat(CompleteCommandTest.json(r.lastErrLine()).at("/client/provider").asText()).isEqualTo("local");
        assertThat(embed("x", "--model", "no-such-model").exit()).isEqualTo(2);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(embed("x", "--provider", "anthropic", "--model", "m").exit()).isEqualTo(2);
        assertThat(embed("x", "--provider", "openai").exit()).isEqualTo(2);
        assertThat(embed("x", "--provider", "openai", "--model", "m", "--batch-size", "0").exit()).isEqualTo(2);
    }
}
