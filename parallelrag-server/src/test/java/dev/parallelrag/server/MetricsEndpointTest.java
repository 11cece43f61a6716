package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.metrics.GenAiMetrics;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.server.metrics.MetricsRoutes;
import dev.parallelrag.server.metrics.PrometheusText;
import dev.parallelrag.server.metrics.Promtool;
import dev.parallelrag.testkit.FakeProviderServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a running server, scraped over HTTP: Prometheus text with the GenAI metrics under the
 * conventions' names, types, buckets and attributes, the breaker, HTTP and JVM meters, accepted by
 * {@code promtool check metrics}.
 */
class MetricsEndpointTest {

    @TempDir
    Path dir;

    private static List<Double> bounds(PrometheusText scrape, String name, String series) {
        List<Double> out = new ArrayList<>();
        for (PrometheusText.Sample s : scrape.named(name)) {
            if (s.series().startsWith(series)) {
                String le = s.label("le");
                out.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
            }
        }
        return out;
    }

    private static List<Double> withInf(List<Double> buckets) {
        List<Double> all = new ArrayList<>(buckets);
        all.add(Double.POSITIVE_INFINITY);
        return all;
    }

    @Test
    void metricsServesTheRegistryAsPrometheusTextThatPromtoolAccepts() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeProviderServer provider = FakeProviderServer.builder().start();
             ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).warmUp(false)
                     .build()).meterRegistry(registry).start()) {
            ProviderConfig openAi = ProviderConfig.builder(ProviderKind.OPENAI).environment(name -> null)
                    .baseUrl(provider.openAiBaseUrl()).apiKey("test-key").build();
            try (LlmClient llm = LlmClient.builder(Providers.chatModel(openAi, "gpt-4o-mini")).meterRegistry(registry)
                    .build();
                 EmbeddingClient embedder = EmbeddingClient.builder(Providers.embeddingModel(openAi,
                         "text-embedding-3-small")).meterRegistry(registry).build()) {
                llm.complete("hello");
                llm.stream("hello again", CompletionOptions.defaults(), piece -> { });
                embedder.embed("a text");
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Http.get(server.port(), "/health/live").statusCode()).isEqualTo(200);
            }

            HttpResponse<String> response = Http.get(server.port(), "/metrics");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsRoutes.CONTENT_TYPE);
            PrometheusText scrape = PrometheusText.parse(response.body());
            assertThat(scrape.types()).containsEntry("gen_ai_client_operation_duration_seconds", "histogram")
                    .containsEntry("gen_ai_client_token_usage", "histogram")
                    .containsEntry("gen_ai_client_operation_time_to_first_chunk_seconds", "histogram")
                    .containsEntry("resilience4j_circuitbreaker_state", "gauge")
                    .containsEntry("http_server_requests_seconds", "summary")
                    .containsEntry("jvm_memory_used_bytes", "gauge");
            String chat = "gen_ai_client_operation_duration_seconds_bucket{error_type=\"\",gen_ai_operation_name=\"chat\","
                    + "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-mini\"";
            assertThat(bounds(scrape, "gen_ai_client_operation_duration_seconds_bucket", chat))
                    .isEqualTo(withInf(GenAiMetrics.DURATION_BUCKETS));
            assertThat(scrape.bySeries()).containsKey("gen_ai_client_operation_duration_seconds_count{error_type=\"\","
                    + "gen_ai_operation_name=\"embeddings\",gen_ai_provider_name=\"openai\","
                    + "gen_ai_request_model=\"text-embedding-3-small\"}");
            PrometheusText.Sample streamed = scrape.bySeries().get("gen_ai_client_operation_duration_seconds_count{"
                    + "error_type=\"\",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                    + "gen_ai_request_model=\"gpt-4o-mini\"}");
            assertThat(streamed.value()).as("the plain and the streamed call").isEqualTo(2);
            String input = "gen_ai_client_token_usage_bucket{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                    + "gen_ai_request_model=\"gpt-4o-mini\",gen_ai_token_type=\"input\"";
            assertThat(bounds(scrape, "gen_ai_client_token_usage_bucket", input)).isEqualTo(withInf(GenAiMetrics.TOKEN_BUCKETS));
            assertThat(scrape.bySeries()).containsKey("gen_ai_client_token_usage_count{gen_ai_operation_name=\"chat\","
                    + "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-mini\",gen_ai_token_type=\"output\"}");
            assertThat(scrape.named("gen_ai_client_operation_time_to_first_chunk_seconds_count")).hasSize(1);
            assertThat(scrape.named("resilience4j_circuitbreaker_state"))
                    .anySatisfy(s -> assertThat(s.label("state")).isEqualTo("closed"))
                    .allSatisfy(s -> assertThat(s.label("gen_ai_provider_name")).isEqualTo("openai"));
            assertThat(scrape.named("http_server_requests_seconds_count"))
                    .anySatisfy(s -> {
                        assertThat(s.label("method")).isEqualTo("GET");
                        assertThat(s.label("status")).isEqualTo("200");
                        assertThat(s.value()).isGreaterThanOrEqualTo(3);
                    });

            Promtool.require().checkMetrics(response.body());
        }
    }

    @Test
    void withAManagementPortMetricsIsServedThereAndNotOnTheApiPort() throws Exception {
        try (ParallelRag engine = TestIndex.open(dir);
             ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).managementPort(0)
                     .warmUp(false).build())) {
            HttpResponse<String> management = Http.get(server.managementPort(), "/metrics");
            assertThat(management.statusCode()).isEqualTo(200);
            assertThat(management.body()).contains("# TYPE jvm_memory_used_bytes gauge");
            ErrorShapeTest.assertError(Http.get(server.port(), "/metrics"), 404, "not_found");
        }
    }

    @Test
    void aRegistryThatPrometheusCannotScrapeIsRefusedAtStart() throws Exception {
        try (ParallelRag engine = TestIndex.open(dir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParallelRagServer.builder(engine,
                            ServerConfig.builder().port(0).warmUp(false).build()).meterRegistry(new SimpleMeterRegistry())
                            .start())
                    .isInstanceOf(dev.parallelrag.error.ValidationException.class)
                    .hasMessageContaining("meterRegistry").hasMessageContaining("PrometheusMeterRegistry");
        }
    }
}
