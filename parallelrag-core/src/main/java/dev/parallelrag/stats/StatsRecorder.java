package dev.parallelrag.stats;

import dev.parallelrag.Internal;
import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.metrics.GenAiMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests of one client and feeds the Micrometer meters behind them, with the attributes of the
 * OpenTelemetry GenAI conventions ({@link GenAiMetrics}): {@code gen_ai.operation.name}, {@code gen_ai.provider.name}
 * and {@code gen_ai.request.model} on each, plus
 * <ul>
 *   <li>{@value GenAiMetrics#CLIENT_OPERATION_DURATION} (histogram, seconds): every request, streamed ones too,
 *       with {@code error.type} the failure's kind ({@link GenAiMetrics#errorType}), empty on success;</li>
 *   <li>{@value GenAiMetrics#CLIENT_TOKEN_USAGE} (histogram, tokens) with {@code gen_ai.token.type} {@code input} or
 *       {@code output}: the usage a successful request reported (none is recorded when the provider gave none);</li>
 *   <li>{@value #RETRIES} (counter): retried attempts;</li>
 *   <li>{@value #FAILOVERS} (counter) with {@code from} and {@code to}: requests of a client with fallbacks that a
 *       candidate other than the first served.</li>
 * </ul>
 * Micrometer meters are monotonic, as exporters like Prometheus require, so {@link #reset()} clears only
 * the snapshot counters behind {@code stats()}, not the exported meters.
 */
@Internal
public final class StatsRecorder {

    public static final String RETRIES = "parallelrag.client.retries";
    public static final String FAILOVERS = "parallelrag.client.failovers";

    /** The failure kinds reported by provider clients, in output order. */
    public static final List<String> FAILURE_KINDS =
            List.of("validation", "auth", "rate_limited", "timeout", "server", "circuit_open", "other");

    private final String provider;
    private final String model;
    private final String operation;
    private final String providerName; // the conventions' name of the provider
    private final MeterRegistry registry;
    private final long createdNanos = System.nanoTime();
    private final LongAdder successes = new LongAdder();
    private final Map<ErrorKind, LongAdder> failures = new EnumMap<>(ErrorKind.class);
    private final LongAdder retries = new LongAdder();
    private final Map<List<String>, LongAdder> failovers = new ConcurrentHashMap<>(); // key: from, to
    private final LongAdder tokensIn = new LongAdder();
    private final LongAdder tokensOut = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final LatencyReservoir latency = new LatencyReservoir();
    private final LatencyReservoir attemptLatency = new LatencyReservoir();
    private final Timer successTimer;
    private final Counter retryCounter;
    private final DistributionSummary inputTokens;
    private final DistributionSummary outputTokens;

    public StatsRecorder(String provider, String model, String operation, MeterRegistry registry) {
        this.provider = provider;
        this.model = model;
        this.operation = operation;
        this.providerName = GenAiMetrics.providerName(provider);
        this.registry = registry;
        for (ErrorKind k : ErrorKind.values()) {
            failures.put(k, new LongAdder());
        }
        this.successTimer = GenAiMetrics.operationDuration(registry, operation, providerName, model,
                GenAiMetrics.NO_ERROR);
        this.retryCounter = Counter.builder(RETRIES).description("Retried attempts of GenAI operations")
                .tags(clientTags()).register(registry);
        this.inputTokens = GenAiMetrics.tokenUsage(registry, operation, providerName, model, GenAiMetrics.INPUT);
        this.outputTokens = GenAiMetrics.tokenUsage(registry, operation, providerName, model, GenAiMetrics.OUTPUT);
    }

    private String[] clientTags(String... more) {
        String[] tags = {GenAiMetrics.OPERATION_NAME, operation, GenAiMetrics.PROVIDER_NAME, providerName,
                GenAiMetrics.REQUEST_MODEL, model};
        String[] all = Arrays.copyOf(tags, tags.length + more.length);
        System.arraycopy(more, 0, all, tags.length, more.length);
        return all;
    }

    public String provider() {
        return provider;
    }

    /** The client's {@code gen_ai.operation.name}, {@code gen_ai.provider.name} and {@code gen_ai.request.model}. */
    public Map<String, String> attributes() {
        return Map.of(GenAiMetrics.OPERATION_NAME, operation, GenAiMetrics.PROVIDER_NAME, providerName,
                GenAiMetrics.REQUEST_MODEL, model);
    }

    public String model() {
        return model;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** Requests started and not yet finished; never reset. */
    public long inFlight() {
        return inFlight.get();
    }

    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    public void attempt(long nanos) {
        attemptLatency.record(nanos);
    }

    public void retry() {
        retries.increment();
        retryCounter.increment();
    }

    /** A request that candidate {@code to} served because {@code from}, the first one, did not. */
    public void failover(String from, String to) {
        failovers.computeIfAbsent(List.of(from, to), k -> new LongAdder()).increment();
        Counter.builder(FAILOVERS).description("Requests served by a fallback instead of the first candidate")
                .tags(clientTags("from", from, "to", to)).register(registry).increment();
    }

    public void success(long nanos, TokenUsage usage) {
        successes.increment();
        latency.record(nanos);
        successTimer.record(nanos, TimeUnit.NANOSECONDS);
        tokensIn.add(usage.promptTokens());
        tokensOut.add(usage.completionTokens());
        if (usage.promptTokens() > 0) { // a provider that reports no usage gets no usage metric
            inputTokens.record(usage.promptTokens());
        }
        if (usage.completionTokens() > 0) {
            outputTokens.record(usage.completionTokens());
        }
    }

    public void failure(ErrorKind kind, long nanos) {
        ErrorKind k = kind == ErrorKind.STORE ? ErrorKind.OTHER : kind;
        failures.get(k).increment();
        GenAiMetrics.operationDuration(registry, operation, providerName, model, GenAiMetrics.errorType(k))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Clears the snapshot counters (not the Micrometer meters, not the breaker). */
    public void reset() {
        successes.reset();
        failures.values().forEach(LongAdder::reset);
        retries.reset();
        failovers.values().forEach(LongAdder::reset);
        tokensIn.reset();
        tokensOut.reset();
        latency.reset();
        attemptLatency.reset();
    }

    public ClientStats snapshot(BreakerStats breaker, int concurrencyLimit) {
        long ok = successes.sum();
        Map<String, Long> byKind = new LinkedHashMap<>();
        long failed = 0;
        for (ErrorKind k : ErrorKind.values()) {
            if (k == ErrorKind.STORE) {
                continue;
            }
            long n = failures.get(k).sum();
            byKind.put(k.wireName(), n);
            failed += n;
        }
        long total = ok + failed;
        double rate = total == 0 ? 1.0 : ok / (double) total;
        List<FailoverCount> moved = failovers.entrySet().stream().filter(e -> e.getValue().sum() > 0)
                .map(e -> new FailoverCount(e.getKey().get(0), e.getKey().get(1), e.getValue().sum()))
                .sorted(Comparator.comparing(FailoverCount::from).thenComparing(FailoverCount::to)).toList();
        return new ClientStats(provider, model, total, ok, byKind, rate, latency.summary(), attemptLatency.summary(),
                retries.sum(), moved, breaker, tokensIn.sum(), tokensOut.sum(), inFlight.get(), concurrencyLimit,
                Duration.ofNanos(System.nanoTime() - createdNanos));
    }
}
