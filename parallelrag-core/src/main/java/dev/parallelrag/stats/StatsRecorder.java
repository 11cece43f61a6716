package dev.parallelrag.stats;

import dev.parallelrag.Internal;
import dev.parallelrag.error.ErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
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
 * Counts the requests of one client and feeds the Micrometer meters behind them:
 * <ul>
 *   <li>{@value #OPERATION_DURATION} (timer) tagged {@code provider}, {@code model}, {@code operation},
 *       {@code outcome} ({@code success} or the error kind);</li>
 *   <li>{@value #TOKEN_USAGE} (distribution summary) tagged {@code provider}, {@code model},
 *       {@code operation}, {@code token_type} ({@code input} or {@code output});</li>
 *   <li>{@value #RETRIES} (counter) tagged {@code provider}, {@code model}, {@code operation};</li>
 *   <li>{@value #FAILOVERS} (counter) tagged {@code provider}, {@code model}, {@code operation}, {@code from},
 *       {@code to}: requests of a client with fallbacks that a candidate other than the first served.</li>
 * </ul>
 * Micrometer meters are monotonic, as exporters like Prometheus require, so {@link #reset()} clears only
 * the snapshot counters behind {@code stats()}, not the exported meters.
 */
@Internal
public final class StatsRecorder {

    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    public static final String RETRIES = "parallelrag.client.retries";
    public static final String FAILOVERS = "parallelrag.client.failovers";

    /** The failure kinds reported by provider clients, in output order. */
    public static final List<String> FAILURE_KINDS =
            List.of("validation", "auth", "rate_limited", "timeout", "server", "circuit_open", "other");

    private final String provider;
    private final String model;
    private final String operation;
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
        this.registry = registry;
        for (ErrorKind k : ErrorKind.values()) {
            failures.put(k, new LongAdder());
        }
        this.successTimer = timer("success");
        this.retryCounter = Counter.builder(RETRIES).description("Retried attempts")
                .tags("provider", provider, "model", model, "operation", operation).register(registry);
        this.inputTokens = tokens("input");
        this.outputTokens = tokens("output");
    }

    private Timer timer(String outcome) {
        return Timer.builder(OPERATION_DURATION).description("GenAI operation duration, retries included")
                .tags("provider", provider, "model", model, "operation", operation, "outcome", outcome)
                .register(registry);
    }

    private DistributionSummary tokens(String type) {
        return DistributionSummary.builder(TOKEN_USAGE).description("Tokens used per request").baseUnit("tokens")
                .tags("provider", provider, "model", model, "operation", operation, "token_type", type)
                .register(registry);
    }

    public String provider() {
        return provider;
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
                .tags("provider", provider, "model", model, "operation", operation, "from", from, "to", to)
                .register(registry).increment();
    }

    public void success(long nanos, TokenUsage usage) {
        successes.increment();
        latency.record(nanos);
        successTimer.record(nanos, TimeUnit.NANOSECONDS);
        tokensIn.add(usage.promptTokens());
        tokensOut.add(usage.completionTokens());
        inputTokens.record(usage.promptTokens());
        if (usage.completionTokens() > 0) {
            outputTokens.record(usage.completionTokens());
        }
    }

    public void failure(ErrorKind kind, long nanos) {
        ErrorKind k = kind == ErrorKind.STORE ? ErrorKind.OTHER : kind;
        failures.get(k).increment();
        timer(k.wireName()).record(nanos, TimeUnit.NANOSECONDS);
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
