package dev.parallelrag.embed;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.resilience.ResilientClient;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.LengthFunction;
import dev.parallelrag.stats.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link EmbeddingModel} that wraps another (a remote provider or a local ONNX model) and adds
 * batching, bounded parallelism, retries, a circuit breaker, rate limits, timeouts, stats and health.
 * Being a model itself, it goes wherever a model goes: {@code IngestPipeline}, {@code Rag}, a cache.
 *
 * <ul>
 *   <li>{@link #embedBatch(List)}: the model interface; same as {@link #embedMany(List)}.</li>
 *   <li>{@link #embed(String)}: one text, one request.</li>
 *   <li>{@link #embedMany(List)}: many texts in request batches bounded by the model's item count and
 *       token budget, one batch after another; the first failure is thrown.</li>
 *   <li>{@link #embedBatchParallel(List, EmbedOptions)}: like {@code embedMany} with batches in parallel,
 *       returning one {@link Outcome} per text in input order. A blank text fails alone with a
 *       {@link ValidationException}. A batch that fails for good fails its own texts only; when a
 *       provider rejects a batch outright (HTTP 4xx), the batch is split in halves and retried so the
 *       offending text is isolated and the others still succeed.</li>
 * </ul>
 * <p>Fallbacks ({@link Builder#fallback}) must embed into the same space as the model: the same model id,
 * revision, dimension and normalisation (another key or endpoint of the same model). Anything else is refused
 * when the client is built, because one index holding vectors of two spaces silently ruins retrieval.
 *
 * <p>The vector dimension is the model's, or learned from the first response. Thread-safe. Closing the
 * client closes the model and the client's own runtime.
 */
public final class EmbeddingClient extends ResilientClient<EmbeddingModel> implements EmbeddingModel {

    private final EmbeddingModel model;
    private final LengthFunction tokens = LengthFunction.tokens("cl100k_base");
    private volatile int learnedDimension;

    private EmbeddingClient(Builder b) {
        super(b, EmbeddingClient::identity);
        this.model = delegate();
        this.learnedDimension = model.dimension();
    }

    private static Identity identity(EmbeddingModel model) {
        String[] pm = splitModelId(model.modelId());
        return new Identity(pm[0], pm[1], "embeddings", pm[0] + " embeddings " + pm[1], "embeddings:" + model.modelId());
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

    /**
     * The model interface: every text, in request batches within the model's limits, each one protected;
     * vectors in input order. Throws the first failure.
     */
    @Override
    public List<float[]> embedBatch(List<String> texts) {
        return embedMany(texts);
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
        return embedBatchParallel(texts, EmbedOptions.concurrency(defaultConcurrency()));
    }

    /**
     * Embeds every text with up to {@code options.concurrency()} requests in flight. One outcome per text,
     * in input order; the results of batches that finished are kept whatever happens to the others.
     */
    public List<Outcome<float[]>> embedBatchParallel(List<String> texts, EmbedOptions options) {
        return embedBatchParallel(texts, options, StopSignal.never());
    }

    /**
     * As {@link #embedBatchParallel(List, EmbedOptions)}, stoppable from another thread: after
     * {@link StopSignal#stop()} no new request starts, the requests in flight have the stop's grace to finish,
     * and every text still gets its outcome in input order (a {@code StoppedException} for those not run).
     */
    public List<Outcome<float[]>> embedBatchParallel(List<String> texts, EmbedOptions options, StopSignal stop) {
        Objects.requireNonNull(texts, "texts");
        withinLimits(Objects.requireNonNull(options, "options"));
        @SuppressWarnings("unchecked")
        Outcome<float[]>[] out = new Outcome[texts.size()];
        long[] est = new long[texts.size()];
        List<Integer> valid = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null || t.isBlank()) {
                out[i] = Outcome.failure(rejected(blank("texts[" + i + "]", t)));
            } else {
                est[i] = tokens.length(t);
                valid.add(i);
            }
        }
        List<EmbeddingBatcher.Batch> batches = plan(valid, est, options.batchSize(), options.maxBatchTokens());
        runtime().mapIo(batches, options.concurrency(), stop, batch -> {
            embedIsolating(texts, batch, est, out, stop, false);
            return null;
        });
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) { // its batch never started: the run was stopped
                out[i] = Outcome.failure(stop.notStarted());
            }
        }
        return List.of(out);
    }

    /**
     * Embeds a batch; on a rejection of the whole batch, splits it to find the texts at fault. The halves are
     * isolation probes: their failures stay out of the health window, since finding one bad text takes several
     * failed requests that would otherwise read as a failing provider.
     */
    private void embedIsolating(List<String> texts, EmbeddingBatcher.Batch batch, long[] est, Outcome<float[]>[] out,
                                StopSignal stop, boolean probe) {
        try {
            List<float[]> vectors = request(pick(texts, batch.indices()), batch.tokens(), probe);
            for (int j = 0; j < vectors.size(); j++) {
                out[batch.indices().get(j)] = Outcome.success(vectors.get(j));
            }
        } catch (ProviderException e) {
            if (batch.indices().size() > 1 && !e.retryable() && e.status() >= 400 && e.status() < 500) {
                int mid = batch.indices().size() / 2;
                for (List<Integer> half : List.of(batch.indices().subList(0, mid),
                        batch.indices().subList(mid, batch.indices().size()))) {
                    long t = half.stream().mapToLong(i -> est[i]).sum();
                    embedIsolating(texts, new EmbeddingBatcher.Batch(half, t), est, out, stop, true);
                }
            } else {
                fail(batch, out, stop.outcomeError(e));
            }
        } catch (RuntimeException e) {
            fail(batch, out, stop.outcomeError(e));
        }
    }

    private static void fail(EmbeddingBatcher.Batch batch, Outcome<float[]>[] out, Throwable e) {
        for (int i : batch.indices()) {
            out[i] = Outcome.failure(e);
        }
    }

    private List<EmbeddingBatcher.Batch> plan(List<Integer> indices, long[] est, int batchSize, int maxTokens) {
        int items = batchSize > 0 ? batchSize : model.maxBatchSize();
        long budget = maxTokens > 0 ? maxTokens : model.maxBatchTokens();
        return EmbeddingBatcher.plan(indices, est, Math.max(1, items), Math.max(1, budget));
    }

    /** Options asking for more per request than the model takes are refused, never cut down in silence. */
    private EmbedOptions withinLimits(EmbedOptions options) {
        if (options.batchSize() > model.maxBatchSize()) {
            throw rejected(new ValidationException("batchSize", options.batchSize(), "is more than " + model.modelId()
                    + " takes per request (" + model.maxBatchSize() + " texts); leave it 0 for that limit, or set at most "
                    + model.maxBatchSize()));
        }
        if (options.maxBatchTokens() > model.maxBatchTokens()) {
            throw rejected(new ValidationException("maxBatchTokens", options.maxBatchTokens(), "is more than "
                    + model.modelId() + " takes per request (" + model.maxBatchTokens()
                    + " tokens); leave it 0 for that limit, or set at most " + model.maxBatchTokens()));
        }
        return options;
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
        return request(batch, estimatedTokens, false);
    }

    private List<float[]> request(List<String> batch, long estimatedTokens, boolean isolationProbe) {
        return call("embedding model " + model.modelId(), estimatedTokens,
                m -> checked(batch, m.embedBatch(batch)), v -> TokenUsage.of(estimatedTokens, 0),
                isolationProbe).value();
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
            throw rejected(blank(field, text));
        }
    }

    private static ValidationException blank(String field, String text) {
        return new ValidationException(field, text, "must not be empty or blank; remove it or give it some text");
    }

    /** Vector dimension: the model's, or learned from the first response; 0 before that. */
    @Override
    public int dimension() {
        int d = model.dimension();
        return d > 0 ? d : learnedDimension;
    }

    @Override
    public String modelId() {
        return model.modelId();
    }

    /** The wrapped model's space: a client changes how vectors are fetched, never which ones. */
    @Override
    public EmbeddingSpace space() {
        return model.space();
    }

    @Override
    public int maxBatchSize() {
        return model.maxBatchSize();
    }

    @Override
    public int maxBatchTokens() {
        return model.maxBatchTokens();
    }

    /** The wrapped model's: the client adds no vectors of its own, so an index records the model. */
    @Override
    public EmbedderSpec spec() {
        return model.spec().withDimension(dimension());
    }

    @Override
    public int preferredConcurrency() {
        return model.preferredConcurrency();
    }

    /** The wrapped model's counters (a cache's hits, a local model's inferences). */
    @Override
    public Map<String, Long> counters() {
        return model.counters();
    }

    @Override
    protected void closeModel() {
        model.close();
    }

    @Override
    public String toString() {
        return "EmbeddingClient[" + model.modelId() + "]";
    }

    /** Builder; every setting is optional (see {@link ResilientClient.Builder}). */
    public static final class Builder extends ResilientClient.Builder<EmbeddingModel, Builder> {
        private Builder(EmbeddingModel model) {
            super(model);
        }

        /**
         * @throws ValidationException when a fallback embeds into another vector space than the model
         */
        public EmbeddingClient build() {
            for (ResilientClient<EmbeddingModel> fallback : fallbacks()) {
                requireSameSpace(model(), fallback.delegate());
            }
            return new EmbeddingClient(this);
        }

        private static void requireSameSpace(EmbeddingModel model, EmbeddingModel fallback) {
            EmbeddingSpace a = model.space();
            EmbeddingSpace b = fallback.space();
            List<String> differences = new ArrayList<>();
            if (!a.modelId().equals(b.modelId())) {
                differences.add("model id " + a.modelId() + " vs " + b.modelId());
            }
            if (!a.revision().equals(b.revision())) {
                differences.add("revision '" + a.revision() + "' vs '" + b.revision() + "'");
            }
            int da = a.dimension() > 0 ? a.dimension() : model.dimension();
            int db = b.dimension() > 0 ? b.dimension() : fallback.dimension();
            if (da != db) {
                differences.add("dimension " + dimension(da) + " vs " + dimension(db));
            }
            if (a.normalized() != b.normalized()) {
                differences.add((a.normalized() ? "L2-normalised" : "raw") + " vs "
                        + (b.normalized() ? "L2-normalised" : "raw") + " vectors");
            }
            if (!differences.isEmpty()) {
                throw new ValidationException("fallback", fallback.modelId(), "embeds into another vector space than "
                        + model.modelId() + " (" + String.join(", ", differences) + "); vectors of two spaces in one"
                        + " index silently ruin retrieval, so an embedding client fails over only to the same model"
                        + " (another key or endpoint serving it, with the same dimension and normalisation)");
            }
        }

        private static String dimension(int d) {
            return d > 0 ? String.valueOf(d) : "native (unknown until the first response)";
        }
    }
}
