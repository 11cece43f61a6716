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
    }

    /**
     * One protected request: breaker, retries, limits and the attempt timeouts, recorded in the stats.
     * Checked failures become unchecked: an interrupt a {@link CancellationException}, anything else a
     * {@link ProviderException} naming {@code what}.
     */
    protected final <T> ResilientExecutor.Attempted<T> call(String what, long estimatedTokens,
                                                           ResilientExecutor.Attempt<T> attempt,
                                                           Function<? super T, TokenUsage> usage) {
        return call(what, estimatedTokens, attempt, usage, false);
    }

    /**
     * As {@link #call(String, long, ResilientExecutor.Attempt, Function)}; an {@code isolationProbe} (a request the
     * client makes to learn about its input, like a half of a rejected batch) keeps its failure out of the health
     * window, since it says nothing about the provider.
     */
    protected final <T> ResilientExecutor.Attempted<T> call(String what, long estimatedTokens,
                                                           ResilientExecutor.Attempt<T> attempt,
                                                           Function<? super T, TokenUsage> usage, boolean isolationProbe) {
        try {
            return executor.execute(estimatedTokens, attempt, usage, isolationProbe);
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

        protected Builder(M model) {
            this.model = Objects.requireNonNull(model, "model");
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

        /** How recent requests turn into a health verdict (window, minimum sample, thresholds); default {@link ClientHealthPolicy#DEFAULT}. */
        public B healthPolicy(ClientHealthPolicy policy) {
            this.healthPolicy = Objects.requireNonNull(policy, "healthPolicy");
            return self();
        }
    }
}
