package dev.parallelrag.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.stats.TokenUsage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The clients' meters as Prometheus scrapes them: the conventions' names, types, attributes and bucket boundaries,
 * streamed calls included.
 */
class GenAiMetricsTest {

    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    /** Answers "ok" in two pieces with 12 input and 3 output tokens; prompts saying "fail" get a permanent 500. */
    private record FakeChatModel(String provider, String model) implements ChatModel {
        @Override
        public ChatResult chat(ChatRequest request) {
            if (request.conversation().getLast().content().contains("fail")) {
                throw new ProviderException("broken", 500, "internal error", false);
            }
            return new ChatResult("ok", model, "id", "stop", TokenUsage.of(12, 3));
        }

        @Override
        public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
            ChatResult r = chat(request);
            onDelta.accept("o");
            onDelta.accept("k");
            return r;
        }
    }

    private record FakeEmbeddingModel(String modelId) implements EmbeddingModel {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public int maxBatchSize() {
            return 16;
        }

        @Override
        public int maxBatchTokens() {
            return 10_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            return texts.stream().map(t -> new float[] {1, 0}).toList();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void chatCallsAreHistogramsWithTheConventionsAttributesAndBuckets() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LlmClient llm = LlmClient.builder(new FakeChatModel("xai", "grok-3-mini"))
                .meterRegistry(registry).build()) {
            llm.complete("hello");
            assertThatThrownBy(() -> llm.complete("please fail")).isInstanceOf(ProviderException.class);
        }
        String scrape = registry.scrape();
        String ok = "error_type=\"\",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"x_ai\","
                + "gen_ai_request_model=\"grok-3-mini\"";
        assertThat(scrape).contains("# TYPE gen_ai_client_operation_duration_seconds histogram",
                "gen_ai_client_operation_duration_seconds_count{" + ok + "} 1",
                "gen_ai_client_operation_duration_seconds_count{" + ok.replace("error_type=\"\"", "error_type=\"server\"")
                        + "} 1",
                "# TYPE gen_ai_client_token_usage histogram",
                "gen_ai_client_token_usage_sum{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"x_ai\","
                        + "gen_ai_request_model=\"grok-3-mini\",gen_ai_token_type=\"input\"} 12.0",
                "gen_ai_client_token_usage_sum{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"x_ai\","
                        + "gen_ai_request_model=\"grok-3-mini\",gen_ai_token_type=\"output\"} 3.0");
        assertThat(bucketBounds(scrape, "gen_ai_client_operation_duration_seconds_bucket{" + ok))
                .isEqualTo(withInf(GenAiMetrics.DURATION_BUCKETS));
        assertThat(bucketBounds(scrape, "gen_ai_client_token_usage_bucket{gen_ai_operation_name=\"chat\","
                + "gen_ai_provider_name=\"x_ai\",gen_ai_request_model=\"grok-3-mini\",gen_ai_token_type=\"input\""))
                .isEqualTo(withInf(GenAiMetrics.TOKEN_BUCKETS));
        // the breaker's state carries the same attributes, so alerts can name the client whose breaker opened
        assertThat(scrape).containsPattern("resilience4j_circuitbreaker_state\\{gen_ai_operation_name=\"chat\","
                + "gen_ai_provider_name=\"x_ai\",gen_ai_request_model=\"grok-3-mini\",name=\"[^\"]+\",state=\"open\"} 0.0");
    }

    @Test
    void streamedCallsAreCountedAndTimedToTheirFirstChunk() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LlmClient llm = LlmClient.builder(new FakeChatModel("openai", "gpt-4o-mini")).meterRegistry(registry)
                .build()) {
            List<String> pieces = new ArrayList<>();
            llm.stream("hello", CompletionOptions.defaults(), pieces::add);
            llm.stream("again", CompletionOptions.defaults(), pieces::add);
            assertThat(pieces).containsExactly("o", "k", "o", "k");
        }
        String scrape = registry.scrape();
        String attrs = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-mini\"";
        assertThat(scrape).contains("# TYPE gen_ai_client_operation_time_to_first_chunk_seconds histogram",
                "gen_ai_client_operation_time_to_first_chunk_seconds_count{" + attrs + "} 2",
                "gen_ai_client_operation_duration_seconds_count{error_type=\"\"," + attrs + "} 2",
                "gen_ai_client_token_usage_count{" + attrs + ",gen_ai_token_type=\"output\"} 2");
        assertThat(bucketBounds(scrape, "gen_ai_client_operation_time_to_first_chunk_seconds_bucket{" + attrs))
                .isEqualTo(withInf(GenAiMetrics.DURATION_BUCKETS));
    }

    @Test
    void embeddingCallsAreTheEmbeddingsOperation() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EmbeddingClient client = EmbeddingClient.builder(new FakeEmbeddingModel("openai/text-embedding-3-small"))
                .meterRegistry(registry).build()) {
            client.embed("one text");
        }
        assertThat(registry.scrape()).contains("gen_ai_client_operation_duration_seconds_count{error_type=\"\","
                + "gen_ai_operation_name=\"embeddings\",gen_ai_provider_name=\"openai\","
                + "gen_ai_request_model=\"text-embedding-3-small\"} 1");
    }

    @Test
    void serverTimeToFirstTokenHasTheConventionsBuckets() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GenAiMetrics.serverTimeToFirstToken(registry, GenAiMetrics.CHAT, "openai", "gpt-4o-mini")
                .record(java.time.Duration.ofMillis(30));
        String scrape = registry.scrape();
        assertThat(scrape).contains("# TYPE gen_ai_server_time_to_first_token_seconds histogram");
        assertThat(bucketBounds(scrape, "gen_ai_server_time_to_first_token_seconds_bucket{"))
                .isEqualTo(withInf(GenAiMetrics.TIME_TO_FIRST_TOKEN_BUCKETS));
    }

    @Test
    void providerNamesAreTheConventionsWellKnownValues() {
        assertThat(GenAiMetrics.providerName("xai")).isEqualTo("x_ai");
        assertThat(GenAiMetrics.providerName("gemini")).isEqualTo("gcp.gemini");
        assertThat(GenAiMetrics.providerName("anthropic")).isEqualTo("anthropic");
        assertThat(GenAiMetrics.providerName("ollama")).isEqualTo("ollama");
    }

    /** The {@code le} values of the bucket lines that start with {@code seriesPrefix}, in order. */
    static List<Double> bucketBounds(String scrape, String seriesPrefix) {
        List<Double> bounds = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(seriesPrefix)) {
                Matcher m = LE.matcher(line);
                assertThat(m.find()).as(line).isTrue();
                bounds.add(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)));
            }
        }
        return bounds;
    }

    private static List<Double> withInf(List<Double> buckets) {
        List<Double> all = new ArrayList<>(buckets);
        all.add(Double.POSITIVE_INFINITY);
        return all;
    }
}
