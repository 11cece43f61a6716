package dev.parallelrag.pipeline;

import dev.parallelrag.metrics.GenAiMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The answer pipeline's Micrometer meters, on the registry given to {@link Rag.Builder#meterRegistry}:
 * <ul>
 *   <li>{@value #CITATIONS} (counter) by {@code outcome}, {@value GenAiMetrics#PROVIDER_NAME} and
 *       {@value GenAiMetrics#REQUEST_MODEL}: the distinct source numbers each generated answer cites;
 *       {@value #CITED} when the number is one of the sources the model was given, {@value #DROPPED} when it is not
 *       (it is left out of the answer's citations). {@code dropped / (cited + dropped)} is the share of invented
 *       citations.</li>
 * </ul>
 */
public final class AnswerMeters {

    public static final String CITATIONS = "parallelrag.answer.citations";
    /** {@value #CITATIONS}'s {@code outcome}: a number of a source the model was given. */
    public static final String CITED = "cited";
    /** {@value #CITATIONS}'s {@code outcome}: a number of no source the model was given, dropped. */
    public static final String DROPPED = "dropped";

    private final MeterRegistry registry;

    AnswerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void citations(String provider, String model, int cited, int dropped) {
        counter(CITED, provider, model).increment(cited);
        counter(DROPPED, provider, model).increment(dropped);
    }

    private Counter counter(String outcome, String provider, String model) {
        return Counter.builder(CITATIONS).description("Source numbers generated answers cite, by whether the model was given that source")
                .tag("outcome", outcome).tag(GenAiMetrics.PROVIDER_NAME, provider).tag(GenAiMetrics.REQUEST_MODEL, model)
                .register(registry);
    }
}
