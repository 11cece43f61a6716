package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parallelrag health} in child JVMs: UP with the local model on a freshly ingested index, DOWN when the
 * testkit fails the embedder's or the LLM's probe or when there is no index, {@code --json} as one object, and
 * the exit codes 0, 4 and 5.
 */
class HealthCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static FakeProviderServer server;
    private static Map<String, String> env;
    private static long localChunks;

    @BeforeAll
    static void ingest() throws Exception {
        server = FakeProviderServer.builder().dimension(64).start();
        env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
        Path sample = Files.createDirectories(work.resolve("sample"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
        CliProcess local = CliProcess.run(work, env, "ingest", "sample", "--index", "local", "--json");
        assertThat(local.exitCode()).as(local.err()).isZero();
        localChunks = JSON.readTree(local.out()).get("chunks_added").asLong();
        CliProcess remote = CliProcess.run(work, env, "ingest", "sample", "--index", "remote", "--embedder", "compatible",
                "--model", "text-embedding-3-small", "--json");
        assertThat(remote.exitCode()).as(remote.err()).isZero();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void healthyAgain() {
        server.reset();
        server.faults(FaultPlan.none());
    }

    private static CliProcess health(String... args) throws Exception {
        return CliProcess.run(work, env, Stream.concat(Stream.of("health"), Stream.of(args)).toArray(String[]::new));
    }

    @Test
    void upWithLocalEmbeddingsOnAFreshIndex() throws Exception {
        CliProcess run = health("--index", "local");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("health: UP");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+embedder\\s+UP\\s+local model local/bge-small-en-v1.5-q loaded,"
                + " ONNX Runtime session open \\(1 texts embedded in 1 inference calls\\)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+store\\s+UP\\s+index .*local open read-only, "
                + localChunks + " chunks"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+runtime\\s+UP\\s+not started.*"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("llm"));
        assertThat(run.err()).isEmpty();
        assertThat(server.requests()).as("a local index makes no request").isEmpty();
    }

    @Test
    void jsonIsOneObjectWithEachComponentsStatusReasonAndDetails() throws Exception {
        CliProcess run = health("--index", "local", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(1);
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("status").asText()).isEqualTo("UP");
        JsonNode components = report.get("components");
        assertThat(components.fieldNames()).toIterable().containsExactly("embedder", "runtime", "store");
        JsonNode store = components.get("store");
        assertThat(store.get("status").asText()).isEqualTo("UP");
        assertThat(store.get("details").get("chunks").asLong()).isEqualTo(localChunks);
        assertThat(store.get("details").get("writable").asBoolean()).isFalse();
        assertThat(components.get("embedder").get("details").get("texts_inferred").asLong()).isEqualTo(1);
    }

    @Test
    void aFailingEmbedderIsDownWithTheProbesErrorAsTheReason() throws Exception {
        server.faults(FaultPlan.rate(1.0, 7, Fault.status(503)).onlyPaths("/embeddings"));
        CliProcess run = health("--index", "remote");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(CliErrors.DOWN);
        assertThat(run.out().lines().toList().getFirst()).isEqualTo("health: DOWN");
        assertThat(run.out()).containsPattern("embedder\\s+DOWN\\s+probe failed: .*503");
        assertThat(run.out()).containsPattern("store\\s+UP");
        assertThat(server.requestCount("/embeddings")).as("the probe, retried").isGreaterThan(1);

        server.faults(FaultPlan.none());
        CliProcess healthy = health("--index", "remote", "--json");
        assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
        assertThat(JSON.readTree(healthy.out()).get("components").get("embedder").get("details").get("client").asText())
                .isEqualTo("embeddings:compatible/text-embedding-3-small");
    }

    @Test
    void withAnLlmTheProbeIsOnePromptAnsweredInOneTokenAndAFailingOneIsDown() throws Exception {
        CliProcess up = health("--index", "local", "--llm", "openai", "--json");
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        assertThat(JSON.readTree(up.out()).get("components").get("llm").get("status").asText()).isEqualTo("UP");
        List<RecordedRequest> chats = server.requests().stream().filter(r -> r.path().contains("chat")).toList();
        assertThat(chats).hasSize(1);
        JsonNode body = JSON.readTree(chats.getFirst().body());
        assertThat(body.get("max_tokens").asInt()).isEqualTo(1);
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");

        server.faults(FaultPlan.rate(1.0, 7, Fault.status(500)).onlyPaths("chat"));
        CliProcess down = health("--index", "local", "--llm", "openai", "--max-attempts", "1", "--json");
        assertThat(down.exitCode()).as(down.out() + down.err()).isEqualTo(CliErrors.DOWN);
        JsonNode report = JSON.readTree(down.out());
        assertThat(report.get("status").asText()).isEqualTo("DOWN");
        assertThat(report.get("components").get("llm").get("reason").asText()).startsWith("probe failed: ").contains("500");
        assertThat(report.get("components").get("embedder").get("status").asText()).isEqualTo("UP");
        assertThat(server.requests().stream().filter(r -> r.path().contains("chat")).count())
                .as("--max-attempts 1: the failing probe is not retried").isEqualTo(2);
    }

    @Test
    void withoutAnIndexTheStoreIsDown() throws Exception {
        CliProcess run = health("--index", "nowhere");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CliErrors.DOWN);
        assertThat(run.out()).containsPattern("store\\s+DOWN\\s+no index at .*nowhere yet; ingest documents into it first");
    }

    @Test
    void theExitCodesAreZeroForUpFourForDegradedAndFiveForDown() {
        assertThat(HealthCommand.exitCode(HealthStatus.UP)).isZero();
        assertThat(HealthCommand.exitCode(HealthStatus.DEGRADED)).isEqualTo(4).isEqualTo(CliErrors.DEGRADED);
        assertThat(HealthCommand.exitCode(HealthStatus.DOWN)).isEqualTo(5).isEqualTo(CliErrors.DOWN);
    }

    @Test
    void remoteCallFlagsWithoutAnLlmAreAUsageError() throws Exception {
        CliProcess run = health("--index", "local", "--max-attempts", "2");
        assertThat(run.exitCode()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).contains("--max-attempts").contains("--llm none");
    }
}
