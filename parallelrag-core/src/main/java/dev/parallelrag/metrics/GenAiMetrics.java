package dev.parallelrag.metrics;

import dev.parallelrag.error.ErrorKind;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The OpenTelemetry GenAI metrics as the semantic conventions define them: names, attribute keys, units and the
 * explicit bucket boundaries each histogram SHOULD have, and the meters built from them. Micrometer's Prometheus
 * registry turns dots into underscores and appends the base unit, so {@value #CLIENT_OPERATION_DURATION} is scraped
 * as {@code gen_ai_client_operation_duration_seconds_bucket|_count|_sum} and {@value #CLIENT_TOKEN_USAGE} (unit
 * {@code {token}}, an annotation that adds no suffix) as {@code gen_ai_client_token_usage_bucket|_count|_sum}.
 *
 * <p>{@value #ERROR_TYPE} is required on failures and absent on successes. Micrometer's Prometheus registry needs
 * one set of tag keys per meter name, so a success carries it with the empty value, which Prometheus treats as no
 * label at all ({@code {error_type=""}} selects the successes).
 */
public final class GenAiMetrics {

    /** Histogram, seconds: a client's whole operation, retries included. */
    public static final String CLIENT_OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Histogram, {@code {token}}: input and output tokens per operation. */
    public static final String CLIENT_TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Histogram, seconds: from the request to the first chunk of a streamed response, streams only. */
    public static final String CLIENT_TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
    /** Histogram, seconds: a server's time from a request to the first token of its streamed answer. */
    public static final String SERVER_TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
    /** Histogram, seconds: a server's time from a request to the last byte of its answer. */
    public static final String SERVER_REQUEST_DURATION = "gen_ai.server.request.duration";

    public static final String OPERATION_NAME = "gen_ai.operation.name";
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String TOKEN_TYPE = "gen_ai.token.type";
    public static final String ERROR_TYPE = "error.type";

    /** {@value #OPERATION_NAME} of a chat completion. */
    public static final String CHAT = "chat";
    /** {@value #OPERATION_NAME} of an embeddings call. */
    public static final String EMBEDDINGS = "embeddings";
    /** {@value #TOKEN_TYPE} values. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** {@value #ERROR_TYPE} of a success (see the class notes). */
    public static final String NO_ERROR = "";
    /** {@value #ERROR_TYPE} of a failure of no known kind, as the conventions name it. */
    public static final String OTHER_ERROR = "_OTHER";

    /** Seconds; for the operation duration and the time to first chunk. */
    public static final List<Double> DURATION_BUCKETS =
            List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    /** Tokens. */
    public static final List<Double> TOKEN_BUCKETS = List.of(1d, 4d, 16d, 64d, 256d, 1024d, 4096d, 16384d, 65536d,
            262144d, 1048576d, 4194304d, 16777216d, 67108864d);
    /** Seconds; for the server's time to first token. */
    public static final List<Double> TIME_TO_FIRST_TOKEN_BUCKETS =
            List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private GenAiMetrics() {
    }

    /**
     * The {@value #PROVIDER_NAME} for one of our provider ids: the conventions' well-known value where there is one
     * ({@code xai} is {@code x_ai}, {@code gemini} is {@code gcp.gemini}), else the id itself (as {@code ollama},
     * {@code compatible} and {@code local} are: the conventions allow custom values).
     */
    public static String providerName(String providerId) {
        return switch (providerId) {
            case "xai" -> "x_ai";
            case "gemini" -> "gcp.gemini";
            default -> providerId;
        };
    }

    /**
     * The {@value #ERROR_TYPE} of a failure: the kind's wire name ({@code validation}, {@code auth},
     * {@code rate_limited}, {@code timeout}, {@code server}, {@code circuit_open}, {@code store}), {@code _OTHER} for
     * anything else.
     */
    public static String errorType(ErrorKind kind) {
        return kind == ErrorKind.OTHER ? OTHER_ERROR : kind.wireName();
    }

    /** {@value #CLIENT_OPERATION_DURATION} of one client and outcome ({@link #NO_ERROR} for successes). */
    public static Timer operationDuration(MeterRegistry registry, String operation, String provider, String model,
                                          String errorType) {
        return Timer.builder(CLIENT_OPERATION_DURATION).description("GenAI operation duration.")
                .serviceLevelObjectives(durations(DURATION_BUCKETS))
                .tags(OPERATION_NAME, operation, PROVIDER_NAME, provider, REQUEST_MODEL, model, ERROR_TYPE, errorType)
                .register(registry);
    }

    /** {@value #CLIENT_TOKEN_USAGE} of one client and token type ({@link #INPUT} or {@link #OUTPUT}). */
    public static DistributionSummary tokenUsage(MeterRegistry registry, String operation, String provider,
                                                 String model, String tokenType) {
        return DistributionSummary.builder(CLIENT_TOKEN_USAGE).description("Number of input and output tokens used.")
                .serviceLevelObjectives(TOKEN_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray())
                .tags(OPERATION_NAME, operation, PROVIDER_NAME, provider, REQUEST_MODEL, model, TOKEN_TYPE, tokenType)
                .register(registry);
    }

    /** {@value #CLIENT_TIME_TO_FIRST_CHUNK} of one client. */
    public static Timer timeToFirstChunk(MeterRegistry registry, String operation, String provider, String model) {
        return Timer.builder(CLIENT_TIME_TO_FIRST_CHUNK)
                .description("Time to receive the first chunk of a streamed response.")
                .serviceLevelObjectives(durations(DURATION_BUCKETS))
                .tags(OPERATION_NAME, operation, PROVIDER_NAME, provider, REQUEST_MODEL, model)
                .register(registry);
    }

    /** {@value #SERVER_TIME_TO_FIRST_TOKEN} of one served model. */
    public static Timer serverTimeToFirstToken(MeterRegistry registry, String operation, String provider,
                                               String model) {
        return Timer.builder(SERVER_TIME_TO_FIRST_TOKEN).description("Time to generate first token for successful responses.")
                .serviceLevelObjectives(durations(TIME_TO_FIRST_TOKEN_BUCKETS))
                .tags(OPERATION_NAME, operation, PROVIDER_NAME, provider, REQUEST_MODEL, model)
                .register(registry);
    }

    /** {@value #SERVER_REQUEST_DURATION} of one served model and outcome ({@link #NO_ERROR} for successes). */
    public static Timer serverRequestDuration(MeterRegistry registry, String operation, String provider, String model,
                                              String errorType) {
        return Timer.builder(SERVER_REQUEST_DURATION).description("Generative AI server request duration.")
                .serviceLevelObjectives(durations(DURATION_BUCKETS))
                .tags(OPERATION_NAME, operation, PROVIDER_NAME, provider, REQUEST_MODEL, model, ERROR_TYPE, errorType)
                .register(registry);
    }

    private static Duration[] durations(List<Double> seconds) {
        return seconds.stream().map(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
    }
}
