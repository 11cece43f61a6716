package dev.parallelrag.embed;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.ClientHealthPolicy;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthCheck;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.resilience.ResilienceDefaults;
import dev.parallelrag.resilience.ResilientExecutor;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.split.LengthFunction;
import dev.parallelrag.stats.ClientStats;
import dev.parallelrag.stats.StatsRecorder;
import dev.parallelrag.stats.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Embeds texts with any {@link EmbeddingModel} (a remote provider or a local ONNX model), adding
 * batching, bounded parallelism, retries, a circuit breaker, rate limits, stats and health.
 *
 * <ul>
 *   <li>{@link #embed(String)}: one text, one request.</li>
 *   <li>{@link #embedMany(List)}: many texts in request batches bounded by the model's item count and
 *       token budget, one batch after another; the first failure is thrown.</li>
 *   <li>{@link #embedBatchParallel(List, EmbedOptions)}: like {@code embedMany} with batches in parallel,
 *       returning one {@link Outcome} per text in input order. A blank text fails alone with a
 *       {@link ValidationException}. A batch that fails for good fails its own texts only; when a
 *       provider rejects a batch outright (HTTP 4xx), the batch is split in halves and retried so the
 *       offending text is isolated and the others still succeed.</li>
 * </ul>
 * The vector dimension is the model's, or learned from the first response. Thread-safe. Closing the
 * client closes the model and the client's own runtime.
 */
public final class EmbeddingClient implements HealthCheck, AutoCloseable {

    private final EmbeddingModel model;
    private final ResilientExecutor executor;
    private final LengthFunction tokens;
    private final ParallelRuntime runtime;
    private final boolean ownsRuntime;
    private final int defaultConcurrency;
    private final ClientHealthPolicy healthPolicy;
    private volatile int learnedDimension;

    private EmbeddingClient(Builder b) {
        this.model = b.model;
        ResilienceConfig rc = b.resilience != null ? b.resilience
                : model instanceof ResilienceDefaults d ? d.resilienceConfig() : ResilienceConfig.defaults();
        String[] pm = splitModelId(model.modelId());
        StatsRecorder recorder = new StatsRecorder(pm[0], pm[1], "embeddings", b.meterRegistry);
        this.executor = new ResilientExecutor(pm[0] + " embeddings " + pm[1], rc, recorder);
        this.tokens = LengthFunction.tokens("cl100k_base");
        this.ownsRuntime = b.runtime == null;
        this.runtime = b.runtime != null ? b.runtime
                : ParallelRuntime.create(RuntimeConfig.builder().ioConcurrency(b.defaultConcurrency).build());
        this.defaultConcurrency = b.defaultConcurrency;
        this.healthPolicy = b.healthPolicy;
        this.learnedDimension = model.dimension();
    }

    public static Builder builder(EmbeddingModel model) {
        return new Builder(model);
    }

    /** A client with default settings (the model's own resilience settings when it has them). */
    public static EmbeddingClient create(EmbeddingModel model) {
        return builder(model).build();
    }

    /** {@code provider/model} ids split at the first '/'; an id without one is provider {@code local}. */
    static String[] splitModelId(String id) {
        int slash = id.indexOf('/');
        return slash <= 0 ? new String[] {"local", id} : new String[] {id.substring(0, slash), id.substring(slash + 1)};
    }

    /** Embeds one text in one request. */
    public float[] embed(String text) {
        requireText("text", text);
        return request(List.of(text), tokens.length(text)).get(0);
    }

    /** Embeds every text, batch after batch; vectors in input order. Throws the first failure. */
    public List<float[]> embedMany(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        long[] est = new long[texts.size()];
        List<Integer> indices = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            requireText("texts[" + i + "]", texts.get(i));
            est[i] = tokens.length(texts.get(i));
            indices.add(i);
        }
        float[][] out = new float[texts.size()][];
        for (EmbeddingBatcher.Batch batch : plan(indices, est, 0, 0)) {
            List<float[]> vectors = request(pick(texts, batch.indices()), batch.tokens());
            for (int j = 0; j < vectors.size(); j++) {
                out[batch.indices().get(j)] = vectors.get(j);
            }
        }
        return List.of(out);
    }

    /** {@link #embedBatchParallel(List, EmbedOptions)} with the client's default concurrency. */
    public List<Outcome<float[]>> embedBatchParallel(List<String> texts) {
        return embedBatchParallel(texts, EmbedOptions.concurrency(defaultConcurrency));
    }

    /**
     * Embeds every text with up to {@code options.concurrency()} requests in flight. One outcome per text,
     * in input order; the results of batches that finished are kept whatever happens to the others.
     */
    public List<Outcome<float[]>> embedBatchParallel(List<String> texts, EmbedOptions options) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(options, "options");
        @SuppressWarnings("unchecked")
        Outcome<float[]>[] out = new Outcome[texts.size()];
        long[] est = new long[texts.size()];
        List<Integer> valid = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null || t.isBlank()) {
                out[i] = Outcome.failure(blank("texts[" + i + "]", t));
                executor.recorder().failure(ErrorKind.VALIDATION, 0);
            } else {
                est[i] = tokens.length(t);
                valid.add(i);
            }
        }
        List<EmbeddingBatcher.Batch> batches = plan(valid, est, options.batchSize(), options.maxBatchTokens());
        runtime.mapIo(batches, options.concurrency(), batch -> {
            embedIsolating(texts, batch, est, out);
            return null;
        });
        return List.of(out);
    }

    /** Embeds a batch; on a rejection of the whole batch, splits it to find the texts at fault. */
    private void embedIsolating(List<String> texts, EmbeddingBatcher.Batch batch, long[] est, Outcome<float[]>[] out) {
        try {
            List<float[]> vectors = request(pick(texts, batch.indices()), batch.tokens());
            for (int j = 0; j < vectors.size(); j++) {
                out[batch.indices().get(j)] = Outcome.success(vectors.get(j));
            }
        } catch (ProviderException e) {
            if (batch.indices().size() > 1 && !e.retryable() && e.status() >= 400 && e.status() < 500) {
                int mid = batch.indices().size() / 2;
                for (List<Integer> half : List.of(batch.indices().subList(0, mid),
                        batch.indices().subList(mid, batch.indices().size()))) {
                    long t = half.stream().mapToLong(i -> est[i]).sum();
                    embedIsolating(texts, new EmbeddingBatcher.Batch(half, t), est, out);
                }
            } else {
                fail(batch, out, e);
            }
        } catch (RuntimeException e) {
            fail(batch, out, e);
        }
    }

    private static void fail(EmbeddingBatcher.Batch batch, Outcome<float[]>[] out, RuntimeException e) {
        for (int i : batch.indices()) {
            out[i] = Outcome.failure(e);
        }
    }

    private List<EmbeddingBatcher.Batch> plan(List<Integer> indices, long[] est, int batchSize, int maxTokens) {
        int items = batchSize > 0 ? Math.min(batchSize, model.maxBatchSize()) : model.maxBatchSize();
        long budget = maxTokens > 0 ? Math.min(maxTokens, model.maxBatchTokens()) : model.maxBatchTokens();
        return EmbeddingBatcher.plan(indices, est, Math.max(1, items), Math.max(1, budget));
    }

    private static List<String> pick(List<String> texts, List<Integer> indices) {
        List<String> batch = new ArrayList<>(indices.size());
        for (int i : indices) {
            batch.add(texts.get(i));
        }
        return batch;
    }

    /** One protected request: retries, breaker, limits, stats, and a check of the vectors that came back. */
    private List<float[]> request(List<String> batch, long estimatedTokens) {
        try {
            return executor.execute(estimatedTokens, attempt -> checked(batch, model.embedBatch(batch)),
                    v -> TokenUsage.of(estimatedTokens, 0)).value();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while embedding");
        } catch (Exception e) {
            throw new ProviderException("embedding model " + model.modelId() + " failed: " + e, 0, null, false, e);
        }
    }

    private List<float[]> checked(List<String> batch, List<float[]> vectors) {
        if (vectors == null || vectors.size() != batch.size()) {
            throw new ProviderException("embedding model " + model.modelId() + " returned "
                    + (vectors == null ? 0 : vectors.size()) + " vectors for " + batch.size()
                    + " texts; the response cannot be matched to the inputs, so none were used", 200, null, false);
        }
        int expected = learnedDimension;
        for (float[] v : vectors) {
            if (v == null || v.length == 0 || (expected > 0 && v.length != expected)) {
                throw new ProviderException("embedding model " + model.modelId() + " returned a vector of dimension "
                        + (v == null ? 0 : v.length) + ", expected " + expected
                        + "; check that the configured dimension matches the model", 200, null, false);
            }
            if (expected == 0) {
                expected = v.length;
                learnedDimension = expected;
            }
        }
        return vectors;
    }

    /** Blank input fails before any request and counts as a validation failure in the stats. */
    private void requireText(String field, String text) {
        if (text == null || text.isBlank()) {
            executor.recorder().failure(ErrorKind.VALIDATION, 0);
            throw blank(field, text);
        }
    }

    private static ValidationException blank(String field, String text) {
        return new ValidationException(field, text, "must not be empty or blank; remove it or give it some text");
    }

    /** Vector dimension: the model's, or learned from the first response; 0 before that. */
    public int dimension() {
        int d = model.dimension();
        return d > 0 ? d : learnedDimension;
    }

    public String modelId() {
        return model.modelId();
    }

    public EmbeddingModel model() {
        return model;
    }

    public ClientStats stats() {
        return executor.stats();
    }

    /** Clears the request counters; the breaker keeps its state. */
    public void resetStats() {
        executor.resetStats();
    }

    @Override
    public Health health() {
        return healthPolicy.evaluate("embeddings:" + model.modelId(), stats());
    }

    public MeterRegistry meterRegistry() {
        return executor.recorder().registry();
    }

    /** The protection stack (breaker, limiter) of this client, for inspection. */
    public ResilientExecutor executor() {
        return executor;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            if (ownsRuntime) {
                runtime.close();
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddingClient[" + model.modelId() + "]";
    }

    /** Builder; every setting is optional. */
    public static final class Builder {
        private final EmbeddingModel model;
        private ResilienceConfig resilience;
        private MeterRegistry meterRegistry = new SimpleMeterRegistry();
        private ParallelRuntime runtime;
        private int defaultConcurrency = RuntimeConfig.DEFAULT_IO_CONCURRENCY;
        private ClientHealthPolicy healthPolicy = ClientHealthPolicy.DEFAULT;

        private Builder(EmbeddingModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Resilience settings; default the model's own ({@link ResilienceDefaults}) or {@link ResilienceConfig#defaults()}. */
        public Builder resilience(ResilienceConfig resilience) {
            this.resilience = resilience;
            return this;
        }

        /** Where the meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Runtime whose virtual threads run the batches; default a private one closed with the client. */
        public Builder runtime(ParallelRuntime runtime) {
            this.runtime = runtime;
            return this;
        }

        /** Batches in flight for {@link #embedBatchParallel(List)} without options; default 16. */
        public Builder defaultConcurrency(int concurrency) {
            if (concurrency < 1) {
                throw new ValidationException("defaultConcurrency", concurrency, "must be at least 1");
            }
            this.defaultConcurrency = concurrency;
            return this;
        }

        public Builder healthPolicy(ClientHealthPolicy policy) {
            this.healthPolicy = Objects.requireNonNull(policy, "healthPolicy");
            return this;
        }

        public EmbeddingClient build() {
            return new EmbeddingClient(this);
        }
    }
}
