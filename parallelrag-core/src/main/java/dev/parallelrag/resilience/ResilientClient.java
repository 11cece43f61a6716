package dev.parallelrag.resilience;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.ClientHealthPolicy;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthCheck;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.stats.ClientStats;
import dev.parallelrag.stats.StatsRecorder;
import dev.parallelrag.stats.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * What {@code EmbeddingClient} and {@code LlmClient} share: one {@link ResilientExecutor} (retries, breaker,
 * limits, timeouts) in front of one model, its stats and health, and the runtime whose virtual threads run
 * the client's parallel calls. Each client is itself the model interface it wraps (a decorator, like
 * LangChain4j's listening models), so pipelines take the plain interface and get the protection for free.
 *
 * <p>The effective settings are resolved here, once: the builder's {@link ResilienceConfig}, else the
 * model's own ({@link ResilienceDefaults#resilienceConfig()}), else the defaults; an attempt timeout left
 * unset becomes the model's default ({@link ResilienceDefaults#defaultAttemptTimeout()}). Nothing else
 * holds a timeout: the executor publishes these values to the model for every attempt.
 *
 * <p><b>Fallbacks.</b> A client may be given other clients of the same model interface as fallbacks
 * ({@link Builder#fallback}): then every request goes through a {@link Failover} over this client and its
 * fallbacks, in that order. Each candidate then gets one attempt per pass ({@link ResilientExecutor#attemptOnce}):
 * moving on to the next candidate is the retry, so a failing primary does not use up its {@code maxAttempts}
 * first. A candidate that fails cools down for its provider's {@code Retry-After} or its {@code failoverCooldown},
 * with one probe per window; when every candidate cools down, a request waits for the earliest one up to this
 * client's {@code outageWait}. Each candidate keeps its own limits, timeouts and stats; this client's stats also
 * count the failovers. Fallbacks are the caller's to close.
 *
 * @param <M> the model interface wrapped (and implemented) by the client
 */
public abstract class ResilientClient<M> implements HealthCheck, AutoCloseable {

    /** How a client names itself in stats, meters, breaker logs and health. */
    public record Identity(String provider, String model, String operation, String endpoint, String component) {
    }

    private final M model;
    private final ResilientExecutor executor;
    private final ParallelRuntime runtime;
    private final boolean ownsRuntime;
    private final int defaultConcurrency;
    private final ClientHealthPolicy healthPolicy;
    private final String component;
    private final String name;
    private final List<ResilientClient<M>> fallbacks;
    private final Failover<ResilientClient<M>> failover; // null without fallbacks

    /** @param identity names the client from its model: stats, meters and health components use it */
    protected ResilientClient(Builder<M, ?> b, Function<? super M, Identity> identity) {
        this.model = b.model;
        Identity id = identity.apply(model);
        ResilienceDefaults defaults = model instanceof ResilienceDefaults d ? d : new ResilienceDefaults() { };
        ResilienceConfig chosen = b.resilience != null ? b.resilience : defaults.resilienceConfig();
        ResilienceConfig effective = chosen.withDefaultAttemptTimeout(defaults.defaultAttemptTimeout());
        this.executor = new ResilientExecutor(id.endpoint(), effective,
                new StatsRecorder(id.provider(), id.model(), id.operation(), b.meterRegistry), b.healthPolicy);
        this.ownsRuntime = b.runtime == null;
        this.runtime = b.runtime != null ? b.runtime
                : ParallelRuntime.create(RuntimeConfig.builder().ioConcurrency(b.defaultConcurrency).build());
        this.defaultConcurrency = b.defaultConcurrency;
        this.healthPolicy = b.healthPolicy;
        this.component = id.component();
        this.name = id.provider() + ":" + id.model();
        this.fallbacks = List.copyOf(b.fallbacks);
        this.failover = fallbacks.isEmpty() ? null : newFailover();
    }

    /** One attempt's work on a given candidate's model. */
    @FunctionalInterface
    protected interface ModelCall<M, T> {
        T call(M model) throws Exception;
    }

    /** This client first, then its fallbacks; a name that repeats (another key of one model) gets {@code #position}. */
    private Failover<ResilientClient<M>> newFailover() {
        List<ResilientClient<M>> all = new ArrayList<>();
        all.add(this);
        all.addAll(fallbacks);
        List<Failover.Candidate<ResilientClient<M>>> candidates = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ResilientClient<M> c = all.get(i);
            String n = c.name;
            long same = all.stream().filter(o -> o.name.equals(n)).count();
            ResilienceConfig rc = c.executor.config();
            candidates.add(new Failover.Candidate<>(same > 1 ? n + "#" + (i + 1) : n, c, rc.failoverCooldown(),
                    rc.maxRetryAfter()));
        }
        return new Failover<>(candidates, executor.config().outageWait(), executor.recorder()::failover);
    }

    /**
     * One protected request: breaker, retries, limits and the attempt timeouts, recorded in the stats; with fallbacks,
     * through the {@link Failover} over this client and them, {@code call} being given the model of the candidate
     * that is tried. Checked failures become unchecked: an interrupt a {@link CancellationException}, anything else a
     * {@link ProviderException} naming {@code what}.
     */
    protected final <T> Served<T> call(String what, long estimatedTokens, ModelCall<? super M, T> call,
                                        Function<? super T, TokenUsage> usage) {
        return call(what, estimatedTokens, call, usage, false);
    }

    /**
     * As {@link #call(String, long, ModelCall, Function)}; an {@code isolationProbe} (a request the client makes to
     * learn about its input, like a half of a rejected batch) keeps its failure out of the health window, since it
     * says nothing about the provider.
     */
    protected final <T> Served<T> call(String what, long estimatedTokens, ModelCall<? super M, T> call,
                                        Function<? super T, TokenUsage> usage, boolean isolationProbe) {
        try {
            if (failover == null) {
                ResilientExecutor.Attempted<T> done = executor.execute(estimatedTokens, attempt -> call.call(model), usage,
                        isolationProbe);
                return new Served<>(done.value(), done.attempts(), done.latency(), name);
            }
            return failover.execute(c -> c.executor.attemptOnce(estimatedTokens, attempt -> call.call(c.model), usage,
                    isolationProbe).value());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + what);
        } catch (Exception e) {
            throw new ProviderException(what + " failed: " + e, 0, null, false, e);
        }
    }

    /** Counts bad input as a validation failure in the stats and hands the error back for throwing. */
    protected final ValidationException rejected(ValidationException e) {
        executor.recorder().failure(ErrorKind.VALIDATION, 0);
        executor.window().failure(e);
        return e;
    }

    /** The wrapped model. */
    public final M delegate() {
        return model;
    }

    /** How answers, stats and meters name this client as a failover candidate: {@code provider:model}. */
    public final String name() {
        return name;
    }

    /** The fallbacks, in the order they are tried after this client; empty without. */
    public final List<ResilientClient<M>> fallbacks() {
        return fallbacks;
    }

    /** The failover candidates' names, this client first (with {@code #position} where a name repeats). */
    public final List<String> candidates() {
        return failover == null ? List.of(name) : failover.names();
    }

    /** The runtime that runs this client's parallel calls. */
    protected final ParallelRuntime runtime() {
        return runtime;
    }

    /** Calls in flight for batch methods called without a concurrency of their own. */
    public final int defaultConcurrency() {
        return defaultConcurrency;
    }

    /** The effective resilience settings, every value resolved (the attempt timeout included). */
    public final ResilienceConfig resilience() {
        return executor.config();
    }

    public final ClientStats stats() {
        return executor.stats();
    }

    /** Clears the request counters; the breaker keeps its state. */
    public final void resetStats() {
        executor.resetStats();
    }

    /**
     * The verdict of the {@link ClientHealthPolicy} on the requests of its window and the breaker; a wrapped model
     * with a health of its own (a local model that was closed, say) makes it worse, never better.
     */
    @Override
    public final Health health() {
        Health own = healthPolicy.evaluate(component, executor.window().counts(), executor.breakerStats());
        if (model instanceof HealthCheck inner) {
            Health h = inner.health();
            if (h.status().compareTo(own.status()) > 0) {
                return new Health(component, h.status(), h.reason(), own.details());
            }
        }
        return own;
    }

    /** How this client names itself in health, e.g. {@code llm:openai/gpt-4o-mini}. */
    public final String component() {
        return component;
    }

    public final MeterRegistry meterRegistry() {
        return executor.recorder().registry();
    }

    /** The protection stack (breaker, limiter) of this client, for inspection. */
    public final ResilientExecutor executor() {
        return executor;
    }

    /** Releases what the wrapped model holds; called once by {@link #close()}, before the runtime closes. */
    protected void closeModel() {
    }

    /** Closes the model, then the client's own runtime (a runtime given to the builder stays open). */
    @Override
    public final void close() {
        try {
            closeModel();
        } finally {
            if (ownsRuntime) {
                runtime.close();
            }
        }
    }

    /**
     * The model a client wraps, and the settings both clients take; every setting is optional.
     *
     * @param <M> the model interface wrapped
     * @param <B> the concrete builder, so chained calls keep its type
     */
    public abstract static class Builder<M, B extends Builder<M, B>> {
        private final M model;
        private ResilienceConfig resilience;
        private MeterRegistry meterRegistry = new SimpleMeterRegistry();
        private ParallelRuntime runtime;
        private int defaultConcurrency = RuntimeConfig.DEFAULT_IO_CONCURRENCY;
        private ClientHealthPolicy healthPolicy = ClientHealthPolicy.DEFAULT;
        private final List<ResilientClient<M>> fallbacks = new ArrayList<>();

        protected Builder(M model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The model given to the builder, for the subclasses' checks. */
        protected final M model() {
            return model;
        }

        /** The fallbacks added so far, in order. */
        protected final List<ResilientClient<M>> fallbacks() {
            return List.copyOf(fallbacks);
        }

        @SuppressWarnings("unchecked") // B is the concrete subclass by the class's declaration
        private B self() {
            return (B) this;
        }

        /**
         * Retries, breaker, limits and timeouts; default the model's own settings ({@link ResilienceDefaults})
         * or {@link ResilienceConfig#defaults()}. An attempt timeout left unset is the model's default.
         */
        public B resilience(ResilienceConfig resilience) {
            this.resilience = resilience;
            return self();
        }

        /** Where the meters go; default a private {@link SimpleMeterRegistry}. */
        public B meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return self();
        }

        /** Runtime whose virtual threads run the parallel calls; default a private one closed with the client. */
        public B runtime(ParallelRuntime runtime) {
            this.runtime = runtime;
            return self();
        }

        /** Calls in flight for batch methods called without a concurrency; default {@value RuntimeConfig#DEFAULT_IO_CONCURRENCY}. */
        public B defaultConcurrency(int concurrency) {
            if (concurrency < 1) {
                throw new ValidationException("defaultConcurrency", concurrency, "must be at least 1");
            }
            this.defaultConcurrency = concurrency;
            return self();
        }

        /**
         * Adds a fallback: another client (another provider, model or key) that takes a request when this one and
         * the fallbacks added before fail in a way another endpoint can fix (429, 5xx, timeouts, connection errors,
         * an open breaker); caller errors (400, 401, 403, 404, validation) fail at once. Called again, it adds the
         * next one. Default none. The fallback keeps its own settings (its cooldown, limits and timeouts); a
         * fallback with fallbacks of its own is refused, since those would never be asked: list every candidate
         * here, in order. The caller closes the fallbacks.
         *
         * @throws ValidationException for a fallback that has fallbacks, or one given twice
         */
        public B fallback(ResilientClient<M> fallback) {
            Objects.requireNonNull(fallback, "fallback");
            if (!fallback.fallbacks().isEmpty()) {
                throw new ValidationException("fallback", fallback.name(), "has fallbacks of its own ("
                        + String.join(", ", fallback.candidates().subList(1, fallback.candidates().size()))
                        + "), which a failover would never ask; give every candidate to this builder, in order");
            }
            if (fallbacks.contains(fallback)) {
                throw new ValidationException("fallback", fallback.name(), "is given twice; give each fallback once");
            }
            fallbacks.add(fallback);
            return self();
        }

        /** How recent requests turn into a health verdict (window, minimum sample, thresholds); default {@link ClientHealthPolicy#DEFAULT}. */
        public B healthPolicy(ClientHealthPolicy policy) {
            this.healthPolicy = Objects.requireNonNull(policy, "healthPolicy");
            return self();
        }
    }
}
