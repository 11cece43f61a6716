package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.FaultPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --retry-failed FILE}: after a provider outage failed some items, a second run on the earlier output asks
 * only for those items, and its output is the one a run without the outage gives. Items are matched by id, so the
 * option needs ids that are unique and a file that is an output of the same command.
 */
class RetryFailedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROKEN = "[broken]";

    @TempDir
    Path dir;

    @Test
    void promptsThatFailedInAnOutageAreAnsweredByARetryOnceTheProviderIsBack() throws Exception {
        List<String> prompts = IntStream.range(0, 30).mapToObj(i -> i % 10 == 3 ? "question " + i + " " + BROKEN
                : "question " + i).toList();
        String input = IntStream.range(0, prompts.size())
                .mapToObj(i -> JSON.createObjectNode().put("id", "q" + i).put("prompt", prompts.get(i)).toString())
                .collect(Collectors.joining("\n"));
        try (FakeProviderServer server = FakeProviderServer.builder()
                .faults(FaultPlan.onMarker(BROKEN, Fault.status(500))).start()) {
            CliRun outage = complete(server, input);
            assertThat(outage.exit()).isEqualTo(CliErrors.FAILURE);
            List<JsonNode> lines = parse(outage.outLines());
            assertThat(lines.stream().filter(l -> l.has("error")).map(l -> l.get("id").asText()).toList())
                    .containsExactly("q3", "q13", "q23");
            Path previous = Files.writeString(dir.resolve("outage.jsonl"), outage.out());

            server.faults(FaultPlan.none());
            server.reset();
            CliRun retry = complete(server, input, "--retry-failed", previous.toString());
            assertThat(retry.exit()).as(retry.err()).isZero();
            assertThat(server.requestCount()).as("only the failed prompts are asked again").isEqualTo(3);
            assertThat(retry.outLines().stream().filter(l -> !l.contains(BROKEN)).toList())
                    .as("the answers of the first run are written again as they were")
                    .isEqualTo(outage.outLines().stream().filter(l -> !l.contains("\"error\"")).toList());

            server.reset();
            CliRun clean = complete(server, input);
            assertThat(answers(retry.outLines())).isEqualTo(answers(clean.outLines())).hasSize(30);
        }
    }

    @Test
    void textsThatFailedToEmbedAreEmbeddedByARetry() throws Exception {
        String input = IntStream.range(0, 12).mapToObj(i -> i == 5 ? "text " + i + " " + BROKEN : "text " + i)
                .collect(Collectors.joining("\n"));
        try (FakeProviderServer server = FakeProviderServer.builder()
                .faults(FaultPlan.onMarker(BROKEN, Fault.status(503))).start()) {
            CliRun outage = embed(server, input);
            assertThat(outage.exit()).isEqualTo(CliErrors.FAILURE);
            Path previous = Files.writeString(dir.resolve("embed.jsonl"), outage.out());

            server.faults(FaultPlan.none());
            server.reset();
            CliRun retry = embed(server, input, "--retry-failed", previous.toString());
            assertThat(retry.exit()).as(retry.err()).isZero();
            assertThat(server.requestCount()).isEqualTo(1);
            server.reset();
            assertThat(retry.outLines()).isEqualTo(embed(server, input).outLines());
        }
    }

    @Test
    void withoutTheOptionEveryPromptIsAskedAgain() throws Exception {
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            CliRun first = complete(server, "a\nb\nc");
            Path previous = Files.writeString(dir.resolve("first.jsonl"), first.out());
            server.reset();
            assertThat(complete(server, "a\nb\nc", "--retry-failed", previous.toString()).exit()).isZero();
            assertThat(server.requestCount()).isZero();
            assertThat(complete(server, "a\nb\nc").exit()).isZero();
            assertThat(server.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void aFileThatCannotBeMatchedToTheInputIsAUsageError() throws Exception {
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            CliRun missing = complete(server, "a", "--retry-failed", dir.resolve("none.jsonl").toString());
            assertThat(missing.exit()).isEqualTo(CliErrors.USAGE);
            assertThat(missing.err()).contains("--retry-failed").contains("does not exist");

            Path notOutput = Files.writeString(dir.resolve("notes.txt"), "some notes\n");
            CliRun notJson = complete(server, "a", "--retry-failed", notOutput.toString());
            assertThat(notJson.exit()).isEqualTo(CliErrors.USAGE);
            assertThat(notJson.err()).contains("line 1 is not a JSON result line");

            Path embeddings = Files.writeString(dir.resolve("vectors.jsonl"), "{\"id\":1,\"embedding\":[0.5]}\n");
            CliRun otherCommand = complete(server, "a", "--retry-failed", embeddings.toString());
            assertThat(otherCommand.exit()).isEqualTo(CliErrors.USAGE);
            assertThat(otherCommand.err()).contains("has neither \"text\" nor \"error\"");

            Path fine = Files.writeString(dir.resolve("fine.jsonl"), "{\"id\":1,\"text\":\"x\"}\n");
            CliRun duplicates = complete(server, "{\"id\":1,\"prompt\":\"a\"}\n{\"id\":1,\"prompt\":\"b\"}",
                    "--retry-failed", fine.toString());
            assertThat(duplicates.exit()).isEqualTo(CliErrors.USAGE);
            assertThat(duplicates.err()).contains("lines 1 and 2 have this id");
            assertThat(server.requestCount()).isZero();
        }
    }

    private static CliRun complete(FakeProviderServer server, String input, String... options) {
        List<String> args = new ArrayList<>(List.of("--provider", "openai", "--model", "m", "--max-attempts", "2"));
        args.addAll(List.of(options));
        return CliRun.run(CompleteCommand::new, env(server), input, args.toArray(String[]::new));
    }

    private static CliRun embed(FakeProviderServer server, String input, String... options) {
        List<String> args = new ArrayList<>(List.of("--provider", "openai", "--model", "text-embedding-3-small",
                "--batch-size", "1", "--max-attempts", "1"));
        args.addAll(List.of(options));
        return CliRun.run(EmbedCommand::new, env(server), input, args.toArray(String[]::new));
    }

    private static Map<String, String> env(FakeProviderServer server) {
        return Map.of("OPENAI_API_KEY", "sk-retry-test", "OPENAI_BASE_URL", server.openAiBaseUrl());
    }

    private static List<String> answers(List<String> out) throws IOException {
        List<String> answers = new ArrayList<>();
        for (JsonNode line : parse(out)) {
            answers.add(line.get("id") + " " + line.get("text"));
        }
        return answers;
    }

    private static List<JsonNode> parse(List<String> out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
