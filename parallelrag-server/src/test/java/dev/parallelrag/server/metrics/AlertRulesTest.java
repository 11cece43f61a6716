package dev.parallelrag.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.CircuitOpenException;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each critical rule of docs/alerts/parallelrag-rules.yml fires under the fault it describes, and nothing fires for
 * healthy traffic: the testkit's fake provider is driven into the condition through a real client, the client's
 * Prometheus registry is scraped before and after, and {@code promtool test rules} evaluates the shipped rules over
 * input series built from the two scrapes ({@link Promtool#assertRulesYield}). A wrong expression, threshold or label
 * makes the set of firing alerts differ, and the test fails.
 */
class AlertRulesTest {

    private static final String MODEL = "gpt-4o-mini";
    private static final String FIRING = "ALERTS{alertstate=\"firing\"}";

    @TempDir
    Path dir;

    private Promtool promtool;

    @BeforeEach
    void findPromtool() {
        promtool = Promtool.require();
    }

    /** One request per attempt, no wait at an open breaker: each failure the provider gives is a failed request. */
    private static final ResilienceConfig ONE_ATTEMPT = ResilienceConfig.builder().maxAttempts(1)
            .outageWait(Duration.ZERO).build();

    private static LlmClient client(FakeProviderServer server, PrometheusMeterRegistry registry) {
        ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI).environment(name -> null)
                .baseUrl(server.openAiBaseUrl()).apiKey("test-key").build();
        return LlmClient.builder(Providers.chatModel(config, MODEL)).resilience(ONE_ATTEMPT).meterRegistry(registry)
                .build();
    }

    private static List<String> prompts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "question " + i).toList();
    }

    /** The {@code ALERTS} series of a firing alert of the client. */
    private static String alert(String name, String severity, String... extraLabels) {
        StringBuilder s = new StringBuilder("ALERTS{alertname=\"" + name + "\",alertstate=\"firing\",severity=\""
                + severity + "\",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\""
                + MODEL + "\"");
        for (int i = 0; i < extraLabels.length; i += 2) {
            s.append(',').append(extraLabels[i]).append("=\"").append(extraLabels[i + 1]).append('"');
        }
        return s.append('}').toString();
    }

    @Test
    void failuresBelowNinetyPercentSuccessFireTheCriticalSuccessRateAlert() throws Exception {
        // every other request fails: 50 % success, and never 5 failures in a row, so the breaker stays closed
        Fault[] alternate = IntStream.range(0, 20).mapToObj(i -> i % 2 == 0 ? Fault.status(500) : Fault.none())
                .toArray(Fault[]::new);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeProviderServer server = FakeProviderServer.builder().faults(FaultPlan.sequence(alternate)).start();
             LlmClient llm = client(server, registry)) {
            PrometheusText before = PrometheusText.parse(registry.scrape());
            List<Outcome<?>> outcomes = new ArrayList<>();
            for (String prompt : prompts(20)) { // one at a time, so the sequence alternates request by request
                outcomes.addAll(llm.completeBatch(List.of(prompt), CompletionOptions.builder().concurrency(1).build()));
            }
            assertThat(outcomes.stream().filter(Outcome::isSuccess).count()).isEqualTo(10);
            PrometheusText after = PrometheusText.parse(registry.scrape());

            promtool.assertRulesYield(dir, before, after, FIRING, List.of(
                    alert("ParallelRagGenAiSuccessRateCritical", "critical"),
                    alert("ParallelRagGenAiSuccessRateWarning", "warning")));
        }
    }

    @Test
    void anOpenBreakerFiresTheBreakerAlert() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeProviderServer server = FakeProviderServer.builder()
                .faults(FaultPlan.rate(1.0, 1, Fault.status(503))).start();
             LlmClient llm = client(server, registry)) {
            PrometheusText before = PrometheusText.parse(registry.scrape());
            for (String prompt : prompts(ResilienceConfig.DEFAULT_BREAKER_FAILURE_THRESHOLD)) {
                assertThatThrownBy(() -> llm.complete(prompt)).isInstanceOf(ParallelRagException.class);
            }
            assertThat(llm.stats().breaker().state()).isEqualTo("OPEN");
            assertThatThrownBy(() -> llm.complete("one more")).isInstanceOf(CircuitOpenException.class);
            PrometheusText after = PrometheusText.parse(registry.scrape());

            String endpoint = llm.executor().endpoint();
            promtool.assertRulesYield(dir, before, after, FIRING, List.of(
                    alert("ParallelRagCircuitBreakerOpen", "critical", "name", endpoint),
                    alert("ParallelRagGenAiSuccessRateCritical", "critical"),
                    alert("ParallelRagGenAiSuccessRateWarning", "warning")));
        }
    }

    @Test
    void slowResponsesAboveFiveSecondsAtP95FireTheCriticalLatencyAlert() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofMillis(5_500)))
                .start();
             LlmClient llm = client(server, registry)) {
            PrometheusText before = PrometheusText.parse(registry.scrape());
            List<? extends Outcome<?>> outcomes = llm.completeBatch(prompts(4), CompletionOptions.builder().concurrency(4)
                    .build());
            assertThat(outcomes).allMatch(Outcome::isSuccess);
            PrometheusText after = PrometheusText.parse(registry.scrape());

            promtool.assertRulesYield(dir, before, after, FIRING, List.of(
                    alert("ParallelRagGenAiLatencyCritical", "critical"),
                    alert("ParallelRagGenAiLatencyWarning", "warning")));
        }
    }

    @Test
    void healthyTrafficFiresNothing() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeProviderServer server = FakeProviderServer.builder().start();
             LlmClient llm = client(server, registry)) {
            PrometheusText before = PrometheusText.parse(registry.scrape());
            assertThat(llm.completeBatch(prompts(20))).allMatch(Outcome::isSuccess);
            PrometheusText after = PrometheusText.parse(registry.scrape());

            promtool.assertRulesYield(dir, before, after, FIRING, List.of());
        }
    }

    /** Ingests five files, {@code broken} of them not UTF-8, through an engine that records into the registry. */
    private void ingest(PrometheusMeterRegistry registry, int broken) throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        for (int i = 0; i < 5; i++) {
            Path file = docs.resolve("doc" + i + ".txt");
            if (i < broken) {
                Files.write(file, new byte[] {'a', (byte) 0xC3, (byte) 0x28, 'b'});
            } else {
                Files.writeString(file, ("Document " + i + " is about topic " + i + ". ").repeat(10));
            }
        }
        try (ParallelRag engine = ParallelRag.builder(dir.resolve("index")).embeddingModel(new HashingEmbeddingModel(16))
                .embeddingCache(false).meterRegistry(registry).build()) {
            IngestSummary summary = engine.ingest(List.of(docs));
            assertThat(summary.failures()).hasSize(broken);
        }
    }

    @Test
    void anIngestThatFailsOneFileInFiveFiresTheIngestWarning() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusText before = PrometheusText.parse(registry.scrape());
        ingest(registry, 1);
        PrometheusText after = PrometheusText.parse(registry.scrape());

        promtool.assertRulesYield(dir, before, after, FIRING, List.of(
                "ALERTS{alertname=\"ParallelRagIngestFailureRateWarning\",alertstate=\"firing\",severity=\"warning\"}"));
    }

    @Test
    void aCleanIngestFiresNothing() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusText before = PrometheusText.parse(registry.scrape());
        ingest(registry, 0);
        PrometheusText after = PrometheusText.parse(registry.scrape());

        promtool.assertRulesYield(dir, before, after, FIRING, List.of());
    }
}
