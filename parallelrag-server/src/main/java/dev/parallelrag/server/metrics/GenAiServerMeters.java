package dev.parallelrag.server.metrics;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.metrics.GenAiMetrics;
import dev.parallelrag.server.ApiException;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The OpenTelemetry GenAI model-server metrics of the answers this server serves ({@code POST /v1/ask} and
 * {@code POST /v1/chat/completions}, operation {@code chat}), as the semantic conventions define them:
 * <ul>
 *   <li>{@value GenAiMetrics#SERVER_REQUEST_DURATION} (histogram, seconds): from the request's arrival to its last
 *       byte, streamed or not, with {@value GenAiMetrics#ERROR_TYPE} on failure;</li>
 *   <li>{@value GenAiMetrics#SERVER_TIME_TO_FIRST_TOKEN} (histogram, seconds): from the request's arrival to the
 *       first piece of a streamed answer being sent, recorded for successful streams only (the conventions' "for
 *       successful responses").</li>
 * </ul>
 * Both carry {@value GenAiMetrics#OPERATION_NAME} {@code chat}, {@value GenAiMetrics#PROVIDER_NAME}
 * {@value #PROVIDER} (this server is the provider its clients see) and {@value GenAiMetrics#REQUEST_MODEL} the model
 * id the server answers as. The LLM behind the engine has its own {@code gen_ai.client.*} meters under its own
 * provider and model.
 */
public final class GenAiServerMeters {

    /** {@value GenAiMetrics#PROVIDER_NAME} of this server's answers (a custom value, as the conventions allow). */
    public static final String PROVIDER = "parallelrag";
    /** {@value GenAiMetrics#ERROR_TYPE} of a stream whose client went away before its end. */
    public static final String CANCELLED = "cancelled";

    private final MeterRegistry registry;
    private final String model;
    private final Timer timeToFirstToken;
    private final Timer succeeded;

    public GenAiServerMeters(MeterRegistry registry, String model) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.model = Objects.requireNonNull(model, "model");
        this.timeToFirstToken = GenAiMetrics.serverTimeToFirstToken(registry, GenAiMetrics.CHAT, PROVIDER, model);
        this.succeeded = requestDuration(GenAiMetrics.NO_ERROR);
    }

    private Timer requestDuration(String errorType) {
        return GenAiMetrics.serverRequestDuration(registry, GenAiMetrics.CHAT, PROVIDER, model, errorType);
    }

    /** The measurement of one answer, timed from the request's arrival ({@link HttpServerMeters#startedNanos}). */
    public Answer start(Context ctx) {
        return new Answer(HttpServerMeters.startedNanos(ctx));
    }

    /** The answer of a request that is not streamed, timed as {@link Answer} times it. */
    public <T> T answered(Context ctx, Supplier<T> answer) {
        Answer measured = start(ctx);
        T value;
        try {
            value = answer.get();
        } catch (RuntimeException e) {
            measured.failed(e);
            throw e;
        }
        measured.succeeded();
        return value;
    }

    /** The {@value GenAiMetrics#ERROR_TYPE} of a failed answer: the error kind's wire name, the API error's type. */
    static String errorType(RuntimeException error) {
        if (error instanceof ApiException api) {
            return api.type();
        }
        return GenAiMetrics.errorType(error instanceof ParallelRagException p ? p.kind() : ErrorKind.OTHER);
    }

    /** One answer being served. Its methods are called on the thread that serves it. */
    public final class Answer {
        private final long started;
        private long firstToken = -1; // nanoseconds after the start; -1 until the first piece was sent

        private Answer(long started) {
            this.started = started;
        }

        /** A piece of the answer was sent; the first one fixes the time to first token. */
        public void pieceSent() {
            if (firstToken < 0) {
                firstToken = System.nanoTime() - started;
            }
        }

        /** The whole answer was sent. */
        public void succeeded() {
            succeeded.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (firstToken >= 0) {
                timeToFirstToken.record(firstToken, TimeUnit.NANOSECONDS);
            }
        }

        /** The answer failed with the error (as {@link GenAiServerMeters#errorType} names it) or was cancelled. */
        public void failed(String errorType) {
            requestDuration(errorType).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }

        public void failed(RuntimeException error) {
            failed(errorType(error));
        }
    }
}
