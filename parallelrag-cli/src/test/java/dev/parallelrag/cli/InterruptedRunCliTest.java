package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Latency;
import dev.parallelrag.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, "SIGTERM finishes cleanly", as a user meets it: {@code complete} and {@code embed} in child processes
 * against the testkit with latency, signalled while requests are in flight. Every answer the testkit sent is in
 * the output, every other item is an {@code interrupted} line, the summary is on stderr and the exit code is 143
 * (SIGTERM) or 130 (SIGINT); {@code --retry-failed} on that output then runs only the rest, and gives the output of
 * one uninterrupted run.
 */
@Timeout(600)
class InterruptedRunCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROMPTS = 120;

    @TempDir
    Path dir;

    @Test
    void sigtermMidCompleteKeepsEveryAnswerTheServerSentAndARetryFinishesTheRun() throws Exception {
        Path input = prompts(PROMPTS);
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofMillis(400))).start()) {
            SignalledRun run = SignalledRun.run(dir, env(server), server, 8, "TERM", complete(input, "--stats", "json"));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(CliErrors.TERMINATED);
            Set<String> answered = checkInterruptedOutput(run.outLines());
            assertThat(answered).as("every answer the testkit sent is written").isEqualTo(answeredByServer(server));
            int notRun = PROMPTS - answered.size();
            assertThat(notRun).as("the run was stopped before its end").isPositive();
            assertThat(run.err()).contains("complete: interrupted: " + notRun + " items not run")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            JsonNode stats = JSON.readTree(run.lastErrLine());
            assertThat(stats.get("interrupted").asBoolean()).isTrue();
            assertThat(stats.get("not_run").asInt()).isEqualTo(notRun);
            assertThat(stats.get("succeeded").asInt()).isEqualTo(answered.size());
            assertThat(stats.get("failed").asInt()).isZero();

            Path previous = Files.writeString(dir.resolve("run1.jsonl"), run.out());
            server.reset();
            server.latency(Latency.none());
            CliRun retry = CliRun.run(CompleteCommand::new, env(server), "", inProcess(complete(input, "--retry-failed",
                    previous.toString())));
            assertThat(retry.exit()).as(retry.err()).isZero();
            Set<String> retried = requestedPrompts(server);
            assertThat(retried).as("only the rest ran: each prompt once over both runs").hasSize(notRun)
                    .doesNotContainAnyElementsOf(answered);
            assertThat(retry.err()).contains("(" + answered.size() + " ok from --retry-failed)");

            server.reset();
            CliRun uninterrupted = CliRun.run(CompleteCommand::new, env(server), "", inProcess(complete(input)));
            assertThat(uninterrupted.exit()).isZero();
            assertThat(answers(retry.outLines())).isEqualTo(answers(uninterrupted.outLines())).hasSize(PROMPTS);
        }
    }

    @Test
    void sigintMidCompleteExits130WithTheAnswersAndTheSummary() throws Exception {
        Path input = prompts(60);
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofMillis(400))).start()) {
            SignalledRun run = SignalledRun.run(dir, env(server), server, 4, "INT", complete(input));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(CliErrors.INTERRUPTED);
            Set<String> answered = checkInterruptedOutput(run.outLines());
            assertThat(answered).isEqualTo(answeredByServer(server)).isNotEmpty();
            assertThat(run.err()).contains("complete: 60 items, " + answered.size() + " ok, 0 failed")
                    .contains("complete: interrupted: " + (60 - answered.size()) + " items not run");
        }
    }

    @Test
    void stopGraceZeroCutsOffTheRequestsInFlight() throws Exception {
        Path input = prompts(20);
        // a 3 s answer would arrive well within the default 10 s grace; with --stop-grace 0s it is cut off
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofSeconds(3))).start()) {
            SignalledRun run = SignalledRun.run(dir, env(server), server, 4, "TERM", complete(input, "--stop-grace", "0s"));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(CliErrors.TERMINATED);
            List<JsonNode> lines = parse(run.outLines());
            assertThat(lines).hasSize(20).allSatisfy(l -> assertThat(l.at("/error/kind").asText()).isEqualTo("interrupted"));
            long cutOff = lines.stream().filter(l -> l.at("/error/message").asText().startsWith("cut off")).count();
            assertThat(cutOff).as("the requests in flight at the signal").isEqualTo(server.requestCount()).isPositive();
        }
    }

    @Test
    void stopGraceZeroCutsOffTheEmbeddingCallsInFlight() throws Exception {
        Path input = Files.write(dir.resolve("texts.txt"), IntStream.range(0, 20).mapToObj(i -> "text " + i).toList());
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofSeconds(3))).start()) {
            SignalledRun run = SignalledRun.run(dir, env(server), server, 2, "TERM", embed(input, "--stop-grace", "0s"));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(CliErrors.TERMINATED);
            List<JsonNode> lines = parse(run.outLines());
            assertThat(lines).hasSize(20).noneMatch(l -> l.has("embedding"));
            long cutOff = lines.stream().filter(l -> l.at("/error/message").asText().startsWith("cut off")).count();
            assertThat(cutOff).as("two texts in each call in flight").isEqualTo(2L * server.requestCount()).isPositive();
        }
    }

    @Test
    void aBadStopGraceIsAUsageError() {
        CliRun run = CliRun.run(CompleteCommand::new, Map.of("OPENAI_API_KEY", "sk-x"), "hello",
                "--provider", "openai", "--model", "m", "--stop-grace", "2h");
        assertThat(run.exit()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).contains("--stop-grace").contains("between 0 and 60 minutes");
    }

    @Test
    void sigtermMidEmbedKeepsTheVectorsReceivedAndARetryFinishesTheRun() throws Exception {
        List<String> texts = IntStream.range(0, 60).mapToObj(i -> "text number " + i).toList();
        Path input = Files.write(dir.resolve("texts.txt"), texts);
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofMillis(400))).start()) {
            SignalledRun run = SignalledRun.run(dir, env(server), server, 4, "TERM", embed(input));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(CliErrors.TERMINATED);
            List<JsonNode> lines = parse(run.outLines());
            assertThat(lines).hasSize(60);
            Set<String> embedded = new TreeSet<>();
            for (JsonNode line : lines) {
                if (line.has("embedding")) {
                    embedded.add(texts.get(line.get("id").asInt() - 1));
                } else {
                    assertThat(line.at("/error/kind").asText()).isEqualTo("interrupted");
                }
            }
            Set<String> sent = new TreeSet<>();
            for (RecordedRequest r : server.requests()) {
                if (r.outcome().equals("ok")) {
                    JSON.readTree(r.body()).get("input").forEach(t -> sent.add(t.asText()));
                }
            }
            assertThat(embedded).isEqualTo(sent).isNotEmpty().hasSizeLessThan(60);
            assertThat(run.err()).contains("embed: interrupted: " + (60 - embedded.size()) + " items not run");

            Path previous = Files.writeString(dir.resolve("embed1.jsonl"), run.out());
            server.reset();
            server.latency(Latency.none());
            CliRun retry = CliRun.run(EmbedCommand::new, env(server), "",
                    inProcess(embed(input, "--retry-failed", previous.toString())));
            assertThat(retry.exit()).as(retry.err()).isZero();
            server.reset();
            CliRun uninterrupted = CliRun.run(EmbedCommand::new, env(server), "", inProcess(embed(input)));
            assertThat(retry.outLines()).isEqualTo(uninterrupted.outLines()).hasSize(60);
        }
    }

    /** Checks the lines of an interrupted run (one per prompt, in order) and returns the prompts answered. */
    private static Set<String> checkInterruptedOutput(List<String> out) {
        List<JsonNode> lines = parse(out);
        assertThat(lines.stream().map(l -> l.get("id").asInt()).toList())
                .isEqualTo(IntStream.rangeClosed(1, lines.size()).boxed().toList());
        Set<String> answered = new TreeSet<>();
        for (JsonNode line : lines) {
            String prompt = prompt(line.get("id").asInt());
            if (line.has("text")) {
                assertThat(line.get("text").asText()).isEqualTo(FakeContent.answer(prompt));
                answered.add(prompt);
            } else {
                assertThat(line.at("/error/kind").asText()).as(line.toString()).isEqualTo("interrupted");
            }
        }
        return answered;
    }

    /** The prompts of the requests that the testkit answered. */
    private static Set<String> answeredByServer(FakeProviderServer server) {
        return server.requests().stream().filter(r -> r.outcome().equals("ok")).map(InterruptedRunCliTest::promptOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> requestedPrompts(FakeProviderServer server) {
        List<String> all = server.requests().stream().map(InterruptedRunCliTest::promptOf).toList();
        assertThat(all).doesNotHaveDuplicates();
        return new TreeSet<>(all);
    }

    private static String promptOf(RecordedRequest request) {
        try {
            JsonNode messages = JSON.readTree(request.body()).get("messages");
            return messages.get(messages.size() - 1).get("content").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each line's id and answer, without the timing fields that differ between runs. */
    private static List<String> answers(List<String> out) {
        return parse(out).stream().map(l -> l.get("id") + " " + l.get("text")).toList();
    }

    private static List<JsonNode> parse(List<String> out) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    private Path prompts(int n) throws IOException {
        return Files.write(dir.resolve("prompts.txt"), IntStream.range(0, n).mapToObj(i -> prompt(i + 1)).toList());
    }

    private static String prompt(int id) {
        return "prompt number " + (id - 1);
    }

    private static String[] complete(Path input, String... options) {
        List<String> args = new ArrayList<>(List.of("complete", "--provider", "openai", "--model", "m", "--concurrency", "4"));
        args.addAll(List.of(options));
        args.add(input.toString());
        return args.toArray(String[]::new);
    }

    private static String[] embed(Path input, String... options) {
        List<String> args = new ArrayList<>(List.of("embed", "--provider", "openai", "--model", "text-embedding-3-small",
                "--batch-size", "2", "--concurrency", "2"));
        args.addAll(List.of(options));
        args.add(input.toString());
        return args.toArray(String[]::new);
    }

    /** The arguments of a child process's command line, for the same command run in-process. */
    private static String[] inProcess(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    private static Map<String, String> env(FakeProviderServer server) {
        return Map.of("OPENAI_API_KEY", "sk-interrupt-test", "OPENAI_BASE_URL", server.openAiBaseUrl());
    }
}
