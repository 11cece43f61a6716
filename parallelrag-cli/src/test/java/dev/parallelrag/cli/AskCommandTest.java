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
        assertThat(server.requestCount("/v1/chat/completions")).isEqualTo(1);
    }

    @Test
    void providerFailingAfterRetriesIsAClearErrorOrAnExtractiveFallback() throws Exception {
        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(503).message("the fake is overloaded")).onlyPaths("/v1/chat/completions"));
        try {
            CliProcess failed = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai");
            assertThat(failed.exitCode()).isEqualTo(1);
            List<String> errLines = failed.err().strip().lines().toList();
            assertThat(errLines.get(errLines.size() - 1)).startsWith("parallelrag ask:").contains("503").doesNotContain("test-key")
                    .doesNotContain("\tat ");
            assertThat(server.requestCount("/v1/chat/completions")).isEqualTo(4); // 1 + 3 retries

            CliProcess fallback = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai", "--fallback", "extractive", "--json");
            assertThat(fallback.exitCode()).as(fallback.err()).isZero();
            JsonNode answer = JSON.readTree(fallback.out());
            assertThat(answer.get("mode").asText()).isEqualTo("extractive");
            assertThat(answer.get("fallback_reason").asText()).contains("503");
            assertThat(answer.get("citations")).isNotEmpty();
            assertThat(answer.get("answer").asText()).contains("[1]");

            CliProcess text = CliProcess.run(work, env, "ask", QUESTION, "--llm", "openai", "--fallback", "extractive");
            assertThat(text.out()).contains("the LLM failed").contains("extractive answer instead").contains("Sources:");
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
    void usageErrorsAndMissingIndex() {
        CliRun noIndex = CliRun.run("ask", QUESTION, "--index", work.resolve("nowhere").toString());
        assertThat(noIndex.exitCode()).isEqualTo(1);
        assertThat(noIndex.err()).contains("nowhere").contains("ingest");
        assertThat(CliRun.run("search", "x", "--k", "0", "--index", work.resolve(".parallelrag").toString()).exitCode()).isEqualTo(2);
        assertThat(CliRun.run("ask", QUESTION, "--llm", "nope").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("ingest").exitCode()).isEqualTo(2);
    }
}
