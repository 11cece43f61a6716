package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.metrics.GenAiMetrics;
import dev.parallelrag.metrics.TimedVectorStore;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.server.jobs.Multipart;
import dev.parallelrag.server.metrics.PrometheusText;
import dev.parallelrag.server.metrics.Promtool;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's and the server's own meters on {@code GET /metrics} after real work: an ingest job over HTTP with a
 * file that fails, searches, and streamed answers from the testkit's fake LLM. Names, types, buckets and counts are
 * read from the scrape, which {@code promtool check metrics} accepts.
 */
class ServedMetersTest {

    private static final byte[] NOT_UTF8 = {'a', (byte) 0xC3, (byte) 0x28, 'b'};

    @TempDir
    Path dir;

    private static double value(PrometheusText scrape, String series) {
        PrometheusText.Sample sample = scrape.bySeries().get(series);
        assertThat(sample).as(series + " in\n" + scrape.bySeries().keySet().stream().sorted()
                .collect(Collectors.joining("\n"))).isNotNull();
        return sample.value();
    }

    /** The finite bucket bounds of the series of {@code bucket} whose labels begin with {@code labels}. */
    private static List<Double> bounds(PrometheusText scrape, String bucket, String labels) {
        List<Double> out = new ArrayList<>();
        for (PrometheusText.Sample s : scrape.named(bucket)) {
            String le = s.label("le");
            if (s.series().startsWith(bucket + labels) && !le.equals("+Inf")) {
                out.add(Double.parseDouble(le));
            }
        }
        return out;
    }

    /** The LLM behind the answers: the testkit's OpenAI wire format, its meters in {@code registry}. */
    private static LlmClient llmOf(FakeProviderServer provider, PrometheusMeterRegistry registry) {
        return LlmClient.builder(Providers.chatModel(ProviderConfig.builder(ProviderKind.OPENAI)
                .environment(name -> null).baseUrl(provider.openAiBaseUrl()).apiKey("test-key").build(),
                "gpt-4o-mini")).meterRegistry(registry).build();
    }

    /** The engine over the test index, answering with {@code llm}, its meters in {@code registry}. */
    private ParallelRag engineOf(LlmClient llm, PrometheusMeterRegistry registry) {
        return ParallelRag.builder(dir.resolve("index"))
                .embeddingModel(new HashingEmbeddingModel(TestIndex.DIMENSION)).embeddingCache(false)
                .chatModel(llm).meterRegistry(registry).build();
    }

    private static String awaitEnd(int port, String job) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            String state = Http.json(Http.get(port, "/v1/jobs/" + job)).get("state").asText();
            if (List.of("succeeded", "failed", "cancelled").contains(state)) {
                return state;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job " + job + " did not end");
    }

    @Test
    void ingestJobsStoreQueriesAndStreamedAnswersAreOnTheScrape() throws Exception {
        TestIndex.open(dir).close();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeProviderServer provider = FakeProviderServer.builder().start();
             LlmClient llm = llmOf(provider, registry);
             ParallelRag engine = engineOf(llm, registry);
             ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).warmUp(false)
                     .build()).start()) { // no registry given: the server serves the engine's
            int port = server.port();
            Multipart files = new Multipart().file("notes/owls.txt", "Owls hunt at night. ".repeat(20))
                    .file("notes/bees.txt", "Bees make honey. ".repeat(20))
                    .file("notes/moles.txt", "Moles dig tunnels. ".repeat(20))
                    .file("notes/broken.txt", NOT_UTF8);
            HttpResponse<String> accepted = Http.send(Http.request(port, "/v1/documents")
                    .header("Content-Type", files.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(files.body())).build());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            awaitEnd(port, Http.json(accepted).get("job_id").asText());

            assertThat(Http.post(port, "/v1/search", "{\"query\": \"owls\", \"mode\": \"keyword\"}").statusCode())
                    .isEqualTo(200);
            HttpResponse<String> ask = Http.post(port, "/v1/ask", "{\"question\": \"What do owls do?\", \"stream\": true}");
            assertThat(ask.body()).contains("event: delta").contains("event: answer");
            HttpResponse<String> chat = Http.post(port, "/v1/chat/completions", "{\"model\": \"parallelrag\", \"stream\":"
                    + " true, \"messages\": [{\"role\": \"user\", \"content\": \"What do bees make?\"}]}");
            assertThat(chat.body()).contains("data: [DONE]");
            assertThat(Http.post(port, "/v1/ask", "{\"question\": \"What do moles dig?\"}").statusCode()).isEqualTo(200);

            HttpResponse<String> response = Http.get(port, "/metrics");
            PrometheusText scrape = PrometheusText.parse(response.body());

            assertThat(scrape.types()).containsAllEntriesOf(Map.of(
                    "parallelrag_ingest_documents_total", "counter",
                    "parallelrag_ingest_chunks_total", "counter",
                    "parallelrag_ingest_failures_total", "counter",
                    "parallelrag_ingest_stage_duration_seconds", "summary",
                    "parallelrag_ingest_duration_seconds", "summary",
                    "parallelrag_ingest_queue_depth", "gauge",
                    "parallelrag_store_query_duration_seconds", "histogram",
                    "gen_ai_server_time_to_first_token_seconds", "histogram",
                    "gen_ai_server_request_duration_seconds", "histogram"));
            assertThat(value(scrape, "parallelrag_ingest_documents_total{outcome=\"ingested\"}")).isEqualTo(3);
            assertThat(value(scrape, "parallelrag_ingest_documents_total{outcome=\"failed\"}")).isEqualTo(1);
            assertThat(value(scrape, "parallelrag_ingest_failures_total{error_type=\"validation\",stage=\"read\"}"))
                    .as("the file that is not UTF-8").isEqualTo(1);
            assertThat(value(scrape, "parallelrag_ingest_chunks_total{outcome=\"added\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(scrape, "parallelrag_ingest_stage_duration_seconds_count{stage=\"embed\"}")).isEqualTo(1);
            assertThat(value(scrape, "parallelrag_ingest_duration_seconds_count")).isEqualTo(1);
            assertThat(value(scrape, "parallelrag_ingest_queue_depth{queue=\"plan\"}")).isZero();
            assertThat(value(scrape, "parallelrag_ingest_queue_depth{queue=\"embed\"}")).isZero();

            assertThat(value(scrape, "parallelrag_store_query_duration_seconds_count{error_type=\"\",mode=\"keyword\","
                    + "store=\"lucene\"}")).isEqualTo(1);
            assertThat(value(scrape, "parallelrag_store_query_duration_seconds_count{error_type=\"\",mode=\"hybrid\","
                    + "store=\"lucene\"}")).as("the three questions").isEqualTo(3);
            assertThat(bounds(scrape, "parallelrag_store_query_duration_seconds_bucket",
                    "{error_type=\"\",mode=\"keyword\",store=\"lucene\""))
                    .isEqualTo(TimedVectorStore.QUERY_BUCKETS);

            String served = "{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"parallelrag\","
                    + "gen_ai_request_model=\"parallelrag\"}";
            assertThat(value(scrape, "gen_ai_server_time_to_first_token_seconds_count" + served))
                    .as("the two streams, not the plain answer").isEqualTo(2);
            assertThat(value(scrape, "gen_ai_server_time_to_first_token_seconds_sum" + served)).isPositive();
            assertThat(bounds(scrape, "gen_ai_server_time_to_first_token_seconds_bucket", "{"))
                    .isEqualTo(GenAiMetrics.TIME_TO_FIRST_TOKEN_BUCKETS);
            assertThat(value(scrape, "gen_ai_server_request_duration_seconds_count{error_type=\"\","
                    + "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"parallelrag\","
                    + "gen_ai_request_model=\"parallelrag\"}")).as("both streams and the plain answer").isEqualTo(3);
            assertThat(bounds(scrape, "gen_ai_server_request_duration_seconds_bucket", "{error_type=\"\""))
                    .isEqualTo(GenAiMetrics.DURATION_BUCKETS);
            assertThat(value(scrape, "gen_ai_client_operation_duration_seconds_count{error_type=\"\","
                    + "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                    + "gen_ai_request_model=\"gpt-4o-mini\"}")).as("the LLM behind the answers").isEqualTo(3);

            Promtool.require().checkMetrics(response.body());
        }
    }

    @Test
    void aStreamTheLlmFailsCountsUnderItsErrorTypeAndHasNoTimeToFirstToken() throws Exception {
        TestIndex.open(dir).close();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeProviderServer provider = FakeProviderServer.builder()
                .faults(FaultPlan.onMarker("lighthouse", Fault.status(400))).start();
             LlmClient llm = llmOf(provider, registry);
             ParallelRag engine = engineOf(llm, registry);
             ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).warmUp(false)
                     .build()).start()) {
            HttpResponse<String> failed = Http.post(server.port(), "/v1/ask",
                    "{\"question\": \"Who keeps the lighthouse?\", \"stream\": true}");
            // the stream opened before the answer started, so the LLM's failure is the stream's last event
            assertThat(failed.statusCode()).as(failed.body()).isEqualTo(200);
            assertThat(failed.body()).contains(": open").contains("event: error");

            PrometheusText scrape = PrometheusText.parse(Http.get(server.port(), "/metrics").body());

            List<PrometheusText.Sample> durations = scrape.named("gen_ai_server_request_duration_seconds_count");
            assertThat(durations).filteredOn(s -> s.label("error_type").isEmpty()).singleElement()
                    .satisfies(s -> assertThat(s.value()).as("no success").isZero());
            assertThat(durations).filteredOn(s -> !s.label("error_type").isEmpty()).singleElement()
                    .satisfies(s -> assertThat(s.value()).as(s.series()).isEqualTo(1));
            assertThat(scrape.named("gen_ai_server_time_to_first_token_seconds_count"))
                    .allSatisfy(s -> assertThat(s.value()).as("only successful responses").isZero());
        }
    }
}
