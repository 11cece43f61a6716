package dev.parallelrag.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthRegistry;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's health against the testkit's OpenAI-compatible embeddings and chat: a component per part, the
 * engine in the process registry while it is open, and {@link ParallelRag#checkHealth()} probing each model
 * with one small real request.
 */
class EngineHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static FakeProviderServer server;
    private static Path docs;
    private static UnaryOperator<String> env;

    @BeforeAll
    static void start() throws IOException {
        server = FakeProviderServer.builder().dimension(16).start();
        env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key")::get;
        docs = Files.createDirectories(work.resolve("docs"));
        Files.writeString(docs.resolve("speech.txt"), "The union is strong. Congress met in December. ".repeat(20));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
        server.faults();
    }

    private static ParallelRag.Builder openAi(Path index) {
        return ParallelRag.builder(index).embedder("openai", "text-embedding-3-small").environment(env)
                .embeddingCache(false); // every ingest embeds for real, whatever an earlier run cached
    }

    private static LlmClient llm() {
        return Providers.llmClient(ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(server.openAiBaseUrl())
                .apiKey("test-key").build(), "gpt-4o-mini");
    }

    @Test
    void everyPartIsAComponentAndTheEngineIsInTheProcessRegistryUntilClosed() {
        Path index = work.resolve("parts");
        ParallelRag rag = openAi(index).build();
        HealthRegistry.Report before = rag.health();
        assertThat(before.components()).extracting(Health::component).containsExactly("embedder", "runtime", "store");
        assertThat(before.status()).as("no index yet").isEqualTo(HealthStatus.DOWN);
        assertThat(before.component("store").orElseThrow().reason()).startsWith("no index at ");
        assertThat(before.component("embedder").orElseThrow().reason())
                .isEqualTo("openai/text-embedding-3-small not loaded yet: it loads on the first call that needs a vector");
        String processName = processEntry(index);
        assertThat(HealthRegistry.process().health().component(processName).orElseThrow().status()).isEqualTo(HealthStatus.DOWN);

        rag.ingest(List.of(docs));
        HealthRegistry.Report after = rag.health();
        assertThat(after.status()).isEqualTo(HealthStatus.UP);
        assertThat(after.component("store").orElseThrow().reason()).contains("open for writing");
        assertThat(after.component("runtime").orElseThrow().reason()).startsWith("running");
        Health embedder = after.component("embedder").orElseThrow();
        assertThat(embedder.details()).containsEntry("client", "embeddings:openai/text-embedding-3-small");
        assertThat((Long) embedder.details().get("successes")).isPositive();
        Health summary = HealthRegistry.process().health().component(processName).orElseThrow();
        assertThat(summary.status()).isEqualTo(HealthStatus.UP);
        assertThat(summary.reason()).isEqualTo("every component is up");

        rag.close();
        assertThat(HealthRegistry.process().names()).doesNotContain(processName);
        assertThatThrownBy(rag::health).isInstanceOf(ClosedException.class);
    }

    private static String processEntry(Path index) {
        String prefix = "parallelrag " + index.toAbsolutePath().normalize() + " #";
        List<String> mine = HealthRegistry.process().names().stream().filter(n -> n.startsWith(prefix)).toList();
        assertThat(mine).hasSize(1);
        return mine.getFirst();
    }

    @Test
    void checkHealthSendsEachModelOneSmallRequestAndAFailedProbeIsDown() throws Exception {
        Path index = work.resolve("probes");
        try (ParallelRag rag = openAi(index).build()) {
            rag.ingest(List.of(docs));
        }
        server.reset();
        try (LlmClient llm = llm(); ParallelRag rag = openAi(index).chatModel(llm).build()) {
            HealthRegistry.Report report = rag.checkHealth();
            assertThat(report.status()).isEqualTo(HealthStatus.UP);
            assertThat(report.components()).extracting(Health::component).containsExactly("embedder", "llm", "runtime", "store");
            List<RecordedRequest> requests = server.requests();
            assertThat(requests).hasSize(2);
            assertThat(JSON.readTree(requests.get(0).body()).get("input").toString()).contains(EngineHealth.PROBE_TEXT);
            JsonNode chat = JSON.readTree(requests.get(1).body());
            assertThat(chat.get("max_tokens").asInt()).isEqualTo(1);
            assertThat(rag.health().components()).as("health() itself makes no request").hasSize(4);
            assertThat(server.requests()).hasSize(2);

            server.faults(FaultPlan.rate(1.0, 1, Fault.status(401).message("invalid key")).onlyPaths("/v1/embeddings"));
            HealthRegistry.Report failing = rag.checkHealth();
            assertThat(failing.status()).isEqualTo(HealthStatus.DOWN);
            Health embedder = failing.component("embedder").orElseThrow();
            assertThat(embedder.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(embedder.reason()).startsWith("probe failed: ").contains("OPENAI_API_KEY");
            assertThat(failing.component("llm").orElseThrow().status()).isEqualTo(HealthStatus.UP);
            assertThat(rag.health().component("embedder").orElseThrow().status())
                    .as("a rejected key is the caller's error: the window stays UP, only the probe says DOWN")
                    .isEqualTo(HealthStatus.UP);
        }
    }
}
