package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.FakeProviderServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 6, end to end through the CLI in a child JVM: ingest with the OpenAI-compatible embedder and
 * {@code ask --llm openai} against the testkit's fake provider (OPENAI_BASE_URL), including a provider that
 * keeps failing after the client's retries, with and without {@code --fallback extractive}. Also search
 * --json and stats.
 */
class AskCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "What did Lincoln say about the slave trade?";

    @TempDir
    static Path work;

    private static FakeProviderServer server;
    private static Map<String, String> env;

    @BeforeAll
    static void ingest() throws Exception {
        server = FakeProviderServer.builder().dimension(128).start();
        env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
        Path sample = Files.createDirectories(work.resolve("sample"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
        CliProcess run = CliProcess.run(work, env, "ingest", "sample", "--embedder", "compatible",
                "--model", "text-embedding-3-small", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = JSON.readTree(run.out());
        assertThat(summary.get("documents_ingested").asInt()).isEqualTo(5);
        assertThat(summary.get("chunks_added").asLong()).isPositive();
        assertThat(Files.isDirectory(work.resolve(".parallelrag"))).isTrue(); // the default index location
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void askWithOpenAiReturnsTheGeneratedAnswerWithCitations() throws Exception {
        server.reset();
        CliProcess run = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode answer = JSON.readTree(run.out());
        assertThat(answer.get("mode").asText()).isEqualTo("generated");
        // the fake answers "echo: <last user message>": the prompt we sent, numbered sources and question included
        String text = answer.get("answer").asText();
        assertThat(text).startsWith("echo: Sources:").contains("[1] sample/").contains("[2] sample/");
        String sent = server.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).findFirst().orElseThrow().body();
        assertThat(sent).contains("Question: " + QUESTION).contains("Cite every statement").contains("[5] sample/");
        assertThat(answer.get("citations")).hasSize(5);
        JsonNode first = answer.get("citations").get(0);
        assertThat(first.get("number").asInt()).isEqualTo(1);
        assertThat(first.get("source").asText()).startsWith("sample/");
        String file = Files.readString(work.resolve(first.get("source").asText()));
        int start = first.get("start").asInt();
        int end = first.get("end").asInt();
        assertThat(file.substring(file.offsetByCodePoints(0, start), file.offsetByCodePoints(0, end)))
                .isEqualTo(first.get("text").asText());
        assertThat(answer.get("usage").get("total_tokens").asLong()).isPositive();
        assertThat(answer.get("served_by").asText()).as("the default model of openai").isEqualTo("openai:gpt-4o-mini");
        assertThat(server.requestCount("/v1/chat/completions")).isEqualTo(1);
    }

    @Test
    void aFallbackLlmAnswersWhenTheFirstIsDownAndTheAnswerSaysWhichServed() throws Exception {
        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(503)).onlyPaths("/v1/chat/completions"));
        try (FakeProviderServer backup = FakeProviderServer.builder().apiKey("backup-key").start()) {
            Map<String, String> withBackup = new java.util.HashMap<>(env);
            withBackup.put("BACKUP_KEY", "backup-key");
            CliProcess run = CliProcess.run(work, withBackup, "ask", QUESTION, "--llm", "openai", "--model", "gpt-4o",
                    "--json", "--fallback-llm", "openai:gpt-4o-mini@" + backup.openAiBaseUrl() + "#BACKUP_KEY",
                    "--fallback-cooldown", "10s");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode answer = JSON.readTree(run.out());
            assertThat(answer.get("mode").asText()).isEqualTo("generated");
            assertThat(answer.get("served_by").asText()).isEqualTo("openai:gpt-4o-mini");
            assertThat(answer.get("answer").asText()).startsWith("echo: Sources:");
            assertThat(server.requestCount("/v1/chat/completions")).as("one attempt, then the fallback").isEqualTo(1);
            assertThat(backup.requestCount("/v1/chat/completions")).isEqualTo(1);

            CliProcess badCooldown = CliProcess.run(work, withBackup, "ask", QUESTION, "--llm", "openai",
                    "--fallback-llm", "openai:gpt-4o-mini@" + backup.openAiBaseUrl() + "#BACKUP_KEY",
                    "--fallback-cooldown", "2h");
            assertThat(badCooldown.exitCode()).isEqualTo(2);
            assertThat(badCooldown.err()).contains("--fallback-cooldown").contains("at most");

            CliProcess noLlm = CliProcess.run(work, withBackup, "ask", QUESTION,
                    "--fallback-llm", "openai:gpt-4o-mini@" + backup.openAiBaseUrl() + "#BACKUP_KEY");
            assertThat(noLlm.exitCode()).isEqualTo(2);
            assertThat(noLlm.err()).contains("--fallback-llm").contains("needs --llm");
        } finally {
            server.faults(FaultPlan.none());
        }
    }

    @Test
    void providerFailingAfterRetriesIsAClearErrorOrAnExtractiveFallback() throws Exception {
        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(503).message("the fake is overloaded")).onlyPaths("/v1/chat/completions"));
        try {
            // --outage-wait 0s: a lone request that used up its retries fails at once instead of waiting maxBackoff
            // for another to tell it of an outage (OutageVerdictTest covers that wait)
            CliProcess failed = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai", "--outage-wait", "0s");
            assertThat(failed.exitCode()).isEqualTo(1);
            List<String> errLines = failed.err().strip().lines().toList();
            assertThat(errLines.get(errLines.size() - 1)).startsWith("parallelrag ask:").contains("503").doesNotContain("test-key")
                    .doesNotContain("\tat ");
            assertThat(server.requestCount("/v1/chat/completions")).isEqualTo(4); // 1 + 3 retries

            CliProcess fallback = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai", "--outage-wait", "0s",
                    "--fallback", "extractive", "--json");
            assertThat(fallback.exitCode()).as(fallback.err()).isZero();
            JsonNode answer = JSON.readTree(fallback.out());
            assertThat(answer.get("mode").asText()).isEqualTo("extractive");
            assertThat(answer.get("fallback_reason").asText()).contains("503");
            assertThat(answer.get("citations")).isNotEmpty();
            assertThat(answer.get("answer").asText()).contains("[1]");

            CliProcess text = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai", "--outage-wait", "0s",
                    "--fallback", "extractive");
            assertThat(text.out()).contains("the LLM failed").contains("extractive answer instead").contains("Sources:");
        } finally {
            server.faults();
        }
    }

    @Test
    void aRequestTheProviderRejectsIsAFailureNotAUsageError() throws Exception {
        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(400)).onlyPaths("/v1/chat/completions"));
        try {
            CliProcess rejected = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai");
            assertThat(rejected.exitCode()).as(rejected.err()).isEqualTo(CliErrors.FAILURE);
            assertThat(rejected.err()).contains("HTTP 400").doesNotContain("\tat ");
            assertThat(server.requestCount("/v1/chat/completions")).as("a rejected request is not retried").isEqualTo(1);
        } finally {
            server.faults();
        }
    }

    @Test
    void extractiveAnswerSearchJsonAndStats() throws Exception {
        CliProcess ask = CliProcess.run(work, env, "ask", QUESTION);
        assertThat(ask.exitCode()).as(ask.err()).isZero();
        assertThat(ask.out()).contains("extractive answer, no LLM configured").contains("[1]").contains("Sources:");

        CliProcess search = CliProcess.run(work, env, "search", "slave trade", "--k", "3", "--json");
        assertThat(search.exitCode()).as(search.err()).isZero();
        JsonNode hits = JSON.readTree(search.out());
        assertThat(hits.isArray()).isTrue();
        assertThat(hits).hasSize(3);
        JsonNode hit = hits.get(0);
        assertThat(hit.get("rank").asInt()).isEqualTo(1);
        for (String field : new String[] {"score", "source", "chunk_id", "start", "end", "text"}) {
            assertThat(hit.has(field)).as(field).isTrue();
        }

        CliProcess stats = CliProcess.run(work, env, "stats", "--json");
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        JsonNode s = JSON.readTree(stats.out());
        assertThat(s.get("documents").asInt()).isEqualTo(5);
        assertThat(s.get("last_ingest").get("documents_ingested").asInt()).isEqualTo(5);
        assertThat(s.get("embedder").asText()).isEqualTo("compatible");
    }

    @Test
    void filterRestrictsSearchAndAskToTheChunksItNames() throws Exception {
        String lincoln = "sample/1861_abraham_lincoln_r.txt";
        CliProcess all = CliProcess.run(work, env, "search", "the union", "--k", "10", "--json");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(JSON.readTree(all.out()).findValuesAsText("source")).anyMatch(s -> !s.equals(lincoln)); // else it proves nothing

        CliProcess search = CliProcess.run(work, env, "search", "the union", "--k", "10", "--json",
                "--filter", "$source=" + lincoln);
        assertThat(search.exitCode()).as(search.err()).isZero();
        assertThat(JSON.readTree(search.out()).findValuesAsText("source")).isNotEmpty().containsOnly(lincoln);

        CliProcess either = CliProcess.run(work, env, "search", "the union", "--k", "10", "--json",
                "--filter", "$source=" + lincoln, "--filter", "$source=sample/1790_george_washington_n.txt");
        assertThat(JSON.readTree(either.out()).findValuesAsText("source")).contains(lincoln)
                .contains("sample/1790_george_washington_n.txt");

        CliProcess ask = CliProcess.run(work, env, "ask", "the union", "--json", "--filter", "$source=" + lincoln);
        assertThat(ask.exitCode()).as(ask.err()).isZero();
        assertThat(JSON.readTree(ask.out()).get("citations").findValuesAsText("source")).isNotEmpty().containsOnly(lincoln);

        CliProcess bad = CliProcess.run(work, env, "search", "the union", "--filter", "no-equals-sign");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--filter").contains("KEY=VALUE");
    }

    @Test
    void aProvidersDefaultChatModelIsTheOneCoreDefines() throws Exception {
        server.reset();
        Map<String, String> groq = new java.util.HashMap<>(env);
        groq.put("GROQ_BASE_URL", server.openAiBaseUrl());
        groq.put("GROQ_API_KEY", "test-key");
        CliProcess run = CliProcess.run(work, groq, "ask", QUESTION, "--llm", "groq", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String sent = server.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).findFirst().orElseThrow().body();
        assertThat(JSON.readTree(sent).get("model").asText())
                .isEqualTo(dev.parallelrag.provider.ProviderKind.GROQ.defaultChatModel()).isEqualTo("llama-3.3-70b-versatile");
    }

    @Test
    void kAndModelReachTheLlmCall() throws Exception {
        server.reset();
        CliProcess run = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai", "--model", "my-served-model", "--k", "2", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(JSON.readTree(run.out()).get("citations")).hasSize(2);
        String sent = server.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).findFirst().orElseThrow().body();
        assertThat(JSON.readTree(sent).get("model").asText()).isEqualTo("my-served-model");
        assertThat(sent).contains("[2] sample/").doesNotContain("[3] sample/");
    }

    @Test
    void usageErrorsAndMissingIndex() {
        int[] code = new int[1];
        String err = inProcess(code, "ask", QUESTION, "--index", work.resolve("nowhere").toString());
        assertThat(code[0]).isEqualTo(1);
        assertThat(err.strip()).startsWith("parallelrag ask: ").contains("nowhere").contains("ingest");
        err = inProcess(code, "search", "x", "--k", "0", "--index", work.resolve(".parallelrag").toString());
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("--k");
        inProcess(code, "ask", QUESTION, "--llm", "nope");
        assertThat(code[0]).isEqualTo(2);
        inProcess(code, "ingest");
        assertThat(code[0]).isEqualTo(2);
        err = inProcess(code, "ingest", "x", "--chunk-size", "10", "--chunk-overlap", "20", "--index", work.resolve("bad").toString());
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("--chunk-overlap");
    }

    /** Runs the command in this JVM; returns stderr, the exit code in {@code code[0]}. */
    private static String inProcess(int[] code, String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new ParallelRagCommand());
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
        code[0] = cli.execute(args);
        return err.toString();
    }
}
