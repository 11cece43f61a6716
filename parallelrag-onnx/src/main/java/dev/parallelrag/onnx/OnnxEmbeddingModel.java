package dev.parallelrag.onnx;

import ai.onnxruntime.OrtException;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.EmbeddingSpace;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthCheck;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.onnx.tokenizer.BertTokenizer;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.resilience.ResilienceDefaults;
import dev.parallelrag.runtime.CloseGate;
import java.time.Duration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A local text embedding model on ONNX Runtime: a BERT-style encoder, a pure-Java WordPiece tokenizer,
 * pooling and L2 normalisation. Bundled: all-MiniLM-L6-v2 (384 dimensions, mean pooling,
 * normalised) and bge-small-en-v1.5 ({@code [CLS]} pooling, a query instruction; its int8 form is
 * {@link #DEFAULT_MODEL}). Each comes full or
 * int8-quantized, loaded from its own LangChain4j model jar on the classpath.
 *
 * <p>{@link #embedBatch} tokenizes every text, splits texts longer than the sequence limit into
 * overlapping windows (combined afterwards as a token-weighted average, then renormalised: nothing is
 * truncated), sorts the windows by length, cuts them into micro-batches under a token budget and runs
 * them on one shared session, {@link OnnxEmbeddingConfig#parallelism()} at a time, on this model's own
 * threads. Concurrent callers share those threads, so the cores are never oversubscribed however many
 * callers there are. Vectors come back in input order; the same input always gives the same vectors.
 *
 * <p>Thread-safe. Close it to free the native session and stop its threads. Closing is safe while calls run:
 * it refuses new calls with a {@link ClosedException}, lets the calls in flight finish for up to
 * {@link #CLOSE_GRACE} (10 s), then stops the ones still running (they fail with a {@code ClosedException}),
 * and frees native memory only when no inference is left inside ONNX Runtime.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, ResilienceDefaults, HealthCheck {

    /** Model name of all-minilm-l6-v2 (sentence-transformers), 384 dimensions, mean pooling; the default until issue 14. */
    public static final String ALL_MINILM_L6_V2 = "all-minilm-l6-v2";
    /** Model name of the int8-quantized all-MiniLM-L6-v2. */
    public static final String ALL_MINILM_L6_V2_Q = "all-minilm-l6-v2-q";
    /** Model name of bge-small-en-v1.5 (BAAI), 384 dimensions, {@code [CLS]} pooling. */
    public static final String BGE_SMALL_EN_V15 = "bge-small-en-v1.5";
    /** Model name of the int8-quantized bge-small-en-v1.5. */
    public static final String BGE_SMALL_EN_V15_Q = "bge-small-en-v1.5-q";
    /**
     * The model a new index gets when none is named (the engine, the CLI's {@code --model}, the Spark job):
     * bge-small-en-v1.5 int8, the best retrieval quality of the bundled models whose ingest is not slower than that of
     * all-MiniLM-L6-v2 fp32, the default before it (docs/BENCHMARKS.md, "Models: quality and speed"). An index
     * records the model it was built with and keeps answering with it.
     */
    public static final String DEFAULT_MODEL = BGE_SMALL_EN_V15_Q;
    /**
     * What bge-small-en-v1.5 expects before a search query (and never before a passage), from BAAI's model card; the
     * index records it as its query prefix.
     */
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    /** How long {@link #close()} lets calls in flight finish before it stops them. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final String modelId;
    private final BundledModel bundled; // null for a model loaded from files
    private final BertTokenizer tokenizer;
    private final OnnxSession session;
    private final Pooling pooling;
    private final boolean normalize;
    private final EmbeddingSpace space;
    private final OnnxEmbeddingConfig config;
    private final int rowsPerCall;
    private final ExecutorService workers;
    private final CloseGate calls;
    private final LongAdder texts = new LongAdder();
    private final LongAdder windows = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder paddedTokens = new LongAdder();
    private final LongAdder inferenceCalls = new LongAdder();
    private final LongAdder inferenceNanos = new LongAdder();

    private OnnxEmbeddingModel(String modelId, BundledModel bundled, Callable<BertTokenizer> tokenizer, ModelSource source, Pooling pooling,
                               boolean normalize, OnnxEmbeddingConfig config, boolean dynamicallyQuantized) {
        this.modelId = modelId;
        this.bundled = bundled;
        this.rowsPerCall = dynamicallyQuantized ? 1 : config.maxBatchSize();
        this.pooling = pooling;
        this.normalize = normalize;
        this.space = new EmbeddingSpace("local", modelId, source.revision() + ";" + pooling.name().toLowerCase(Locale.ROOT),
                0, normalize);
        this.config = config;
        this.calls = new CloseGate("local model " + modelId + " is closed; load it again to embed more, and close it only"
                + " after its users stop");
        // the tokenizer's JSON is read in Java while ONNX Runtime sets the session up in native code: both take a
        // few hundred ms of a start, and on two cores they take them side by side
        FutureTask<BertTokenizer> reading = new FutureTask<>(tokenizer);
        Thread.ofPlatform().daemon().name("parallelrag-tokenizer-reader").start(reading);
        this.session = OnnxSession.open(source, config);
        this.tokenizer = awaitTokenizer(reading, session);
        String prefix = "parallelrag-onnx-" + POOL_IDS.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.parallelism(), r -> {
            Thread t = new Thread(r, prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    private static BertTokenizer awaitTokenizer(FutureTask<BertTokenizer> reading, OnnxSession session) {
        try {
            return reading.get();
        } catch (InterruptedException e) {
            session.close();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while reading the tokenizer; the model was not loaded");
        } catch (ExecutionException e) {
            session.close();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("reading the tokenizer failed", e.getCause());
        }
    }

    /** all-MiniLM-L6-v2 with default settings: 384 dimensions, mean pooling, normalised. */
    public static OnnxEmbeddingModel allMiniLmL6V2() {
        return allMiniLmL6V2(OnnxEmbeddingConfig.defaults());
    }

    public static OnnxEmbeddingModel allMiniLmL6V2(OnnxEmbeddingConfig config) {
        return bundled(BundledModel.ALL_MINILM_L6_V2, config);
    }

    /**
     * The int8-quantized all-MiniLM-L6-v2: a quarter of the size, faster, near-identical retrieval. Its
     * activations are quantized dynamically with one scale per tensor, so a text's vector would depend on
     * the other texts (and padding) in its micro-batch; this model therefore runs one text per inference
     * call, whatever {@code maxBatchSize} says, so that a text always gets the same vector.
     */
    public static OnnxEmbeddingModel allMiniLmL6V2Quantized() {
        return allMiniLmL6V2Quantized(OnnxEmbeddingConfig.defaults());
    }

    public static OnnxEmbeddingModel allMiniLmL6V2Quantized(OnnxEmbeddingConfig config) {
        return bundled(BundledModel.ALL_MINILM_L6_V2_Q, config);
    }

    /**
     * bge-small-en-v1.5 (BAAI) with default settings: 384 dimensions, the {@code [CLS]} vector, normalised. Better
     * retrieval than all-MiniLM-L6-v2 at twice its layers. Queries take {@link #BGE_QUERY_INSTRUCTION} before them:
     * its {@link #spec()} says so, and the engine and {@code Rag} put it before every question, never before a chunk.
     */
    public static OnnxEmbeddingModel bgeSmallEnV15(OnnxEmbeddingConfig config) {
        return bundled(BundledModel.BGE_SMALL_EN_V15, config);
    }

    /** The int8-quantized bge-small-en-v1.5, one text per inference call for the reason given at {@link #allMiniLmL6V2Quantized()}. */
    public static OnnxEmbeddingModel bgeSmallEnV15Quantized(OnnxEmbeddingConfig config) {
        return bundled(BundledModel.BGE_SMALL_EN_V15_Q, config);
    }

    /**
     * A bundled model by name: {@value #ALL_MINILM_L6_V2}, {@value #ALL_MINILM_L6_V2_Q}, {@value #BGE_SMALL_EN_V15}
     * or {@value #BGE_SMALL_EN_V15_Q} (case-insensitive). Only that model's files are read. An unknown name fails
     * with a ValidationException listing the known ones.
     */
    public static OnnxEmbeddingModel named(String name, OnnxEmbeddingConfig config) {
        return bundled(BundledModel.require(name, ", or load your own with OnnxEmbeddingModel.fromFiles"), config);
    }

    private static OnnxEmbeddingModel bundled(BundledModel model, OnnxEmbeddingConfig config) {
        Objects.requireNonNull(config, "config");
        return new OnnxEmbeddingModel("local/" + model.modelName(), model, () -> bundledTokenizer(model), ModelSource.bundled(model),
                model.pooling(), true, config, model.dynamicallyQuantized());
    }

    private static BertTokenizer bundledTokenizer(BundledModel model) {
        String resource = model.tokenizerResource();
        try (InputStream in = OnnxEmbeddingModel.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new ModelLoadException("classpath:" + resource, "the resource is not on the classpath; add the Maven artifact "
                        + model.coordinates(), null);
            }
            return BertTokenizer.fromJson(in, "classpath:" + resource);
        } catch (IOException e) {
            throw new ModelLoadException("classpath:" + resource, e.getMessage(), e);
        }
    }

    /**
     * A model of your own: an {@code .onnx} BERT-style encoder (inputs {@code input_ids},
     * {@code attention_mask}, optionally {@code token_type_ids}; output token vectors) and its
     * HuggingFace {@code tokenizer.json} (WordPiece). A missing file fails with a ValidationException
     * naming the path; a file ONNX Runtime cannot load fails with a {@link ModelLoadException} naming it.
     *
     * @param modelId   stable id, e.g. {@code local/my-model}; part of chunk identity and cache keys
     * @param normalize L2-normalise the vectors (cosine similarity then equals the dot product)
     */
    public static OnnxEmbeddingModel fromFiles(String modelId, Path onnxFile, Path tokenizerJson, Pooling pooling,
                                               boolean normalize, OnnxEmbeddingConfig config) {
        if (modelId == null || modelId.isBlank()) {
            throw new ValidationException("modelId", modelId, "must not be blank; name the model, e.g. local/my-model");
        }
        Objects.requireNonNull(onnxFile, "onnxFile");
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(config, "config");
        ModelSource source = ModelSource.file(onnxFile);
        // read before the model, not beside it: a bad tokenizer file is reported before a bad model file
        BertTokenizer tokenizer = BertTokenizer.fromJson(tokenizerJson);
        return new OnnxEmbeddingModel(modelId, null, () -> tokenizer, source, pooling, normalize, config, false);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return session.dimension();
    }

    /** Local, this model's id, the weights' revision and pooling, the native dimension, and the normalisation. */
    @Override
    public EmbeddingSpace space() {
        return space;
    }

    /**
     * A bundled model records {@code local}, its name and its query prefix, so an index reopens it by name and puts the
     * prefix before questions; a model loaded from
     * files records {@code custom} (its files are yours to pass again), with its pooling and normalisation.
     */
    @Override
    public EmbedderSpec spec() {
        String pool = pooling.name().toLowerCase(Locale.ROOT);
        return bundled != null
                ? new EmbedderSpec(EmbedderSpec.LOCAL, bundled.modelName(), modelId, dimension(), normalize, pool, bundled.queryPrefix())
                : new EmbedderSpec(EmbedderSpec.CUSTOM, modelId, modelId, dimension(), normalize, pool, "");
    }

    /**
     * As many calls as micro-batches run at once ({@link OnnxEmbeddingConfig#parallelism()}): this model's own
     * workers bound the threads, so more calls never oversubscribe the cores, and fewer would leave workers
     * waiting for the next call.
     */
    @Override
    public int preferredConcurrency() {
        return config.parallelism();
    }

    /**
     * Texts per request the {@code EmbeddingClient} may send. Requests are cut into micro-batches inside, and
     * concurrent requests share this model's threads, so this only bounds the work per request.
     */
    @Override
    public int maxBatchSize() {
        return 64;
    }

    @Override
    public int maxBatchTokens() {
        return 64 * 256;
    }

    /**
     * Settings for an {@code EmbeddingClient} around this model: one attempt (a local failure does not go
     * away on retry) and a long attempt timeout, because a request of long texts on a busy 2-core machine
     * can take minutes, and timing it out would only throw the work away.
     */
    @Override
    public ResilienceConfig resilienceConfig() {
        return ResilienceConfig.builder().maxAttempts(1).attemptTimeout(Duration.ofMinutes(30)).build();
    }

    public OnnxEmbeddingConfig config() {
        return config;
    }

    /** How the model was loaded: whether the model cache was used, and how long the load took. */
    public ModelLoad modelLoad() {
        return session.load();
    }

    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    /** Number of WordPiece tokens of the text, without {@code [CLS]}/{@code [SEP]}. */
    public int countTokens(String text) {
        return tokenizer.encode(text).length;
    }

    public OnnxStats stats() {
        return new OnnxStats(texts.sum(), windows.sum(), tokens.sum(), paddedTokens.sum(), inferenceCalls.sum(),
                inferenceNanos.sum());
    }

    @Override
    public Map<String, Long> counters() {
        OnnxStats s = stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("texts_inferred", s.texts());
        m.put("windows_inferred", s.windows());
        m.put("tokens_inferred", s.tokens());
        m.put("inference_calls", s.inferenceCalls());
        return m;
    }

    /**
     * Vectors for the texts, in their order.
     *
     * @throws ClosedException when the model is closed, or closing stopped this call
     */
    @Override
    public List<float[]> embedBatch(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        calls.enter();
        try {
            return embedAll(texts);
        } finally {
            calls.exit();
        }
    }

    private List<float[]> embedAll(List<String> texts) {
        List<Segment> segments = new ArrayList<>(texts.size());
        int[] windowCounts = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            String field = texts.size() == 1 ? "text" : "texts[" + i + "]";
            if (text == null || text.isBlank()) {
                throw new ValidationException(field, text, "must not be empty or blank; remove it or give it some text");
            }
            int[] ids = tokenizer.encode(text);
            if (ids.length == 0) {
                throw new ValidationException(field, text, "has no tokens once control characters are removed; give it some text");
            }
            List<TokenWindows.Window> plan = TokenWindows.plan(ids, config.windowTokens(), config.windowOverlap(),
                    tokenizer::isContinuation);
            windowCounts[i] = plan.size();
            for (TokenWindows.Window w : plan) {
                segments.add(new Segment(i, withSpecialTokens(ids, w), w.length()));
            }
        }
        float[][] pooled = runAll(segments);
        this.texts.add(texts.size());
        this.windows.add(segments.size());
        return combine(texts.size(), segments, pooled);
    }

    private int[] withSpecialTokens(int[] ids, TokenWindows.Window w) {
        int[] seq = new int[w.length() + 2];
        seq[0] = tokenizer.clsId();
        System.arraycopy(ids, w.start(), seq, 1, w.length());
        seq[seq.length - 1] = tokenizer.sepId();
        return seq;
    }

    private float[][] runAll(List<Segment> segments) {
        int[] lengths = new int[segments.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = segments.get(i).sequence().length;
        }
        List<int[]> batches = BatchPlanner.plan(lengths, config.batchTokenBudget(), rowsPerCall);
        float[][] pooled = new float[segments.size()][];
        List<Future<?>> futures = new ArrayList<>(batches.size());
        try {
            for (int[] batch : batches) {
                futures.add(workers.submit(() -> {
                    runBatch(segments, batch, pooled);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while embedding; the batch was cancelled");
        } catch (RejectedExecutionException | CancellationException e) {
            futures.forEach(f -> f.cancel(true));
            throw closedWhileRunning(); // only closing stops the workers or cancels their tasks
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (session.closing()) {
                throw closedWhileRunning();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new InferenceException(modelId, cause);
        }
        return pooled;
    }

    private void runBatch(List<Segment> segments, int[] batch, float[][] pooled) throws OrtException {
        List<int[]> sequences = new ArrayList<>(batch.length);
        int width = 0;
        long real = 0;
        for (int idx : batch) {
            int[] s = segments.get(idx).sequence();
            sequences.add(s);
            width = Math.max(width, s.length);
            real += s.length;
        }
        long start = System.nanoTime();
        float[][] vectors = session.pooled(sequences, pooling, tokenizer.padId());
        inferenceNanos.add(System.nanoTime() - start);
        inferenceCalls.increment();
        tokens.add(real);
        paddedTokens.add((long) width * batch.length);
        for (int j = 0; j < batch.length; j++) {
            pooled[batch[j]] = vectors[j];
        }
    }

    /** Token-weighted average of each text's window vectors, then L2 normalisation. */
    private List<float[]> combine(int textCount, List<Segment> segments, float[][] pooled) {
        int dim = dimension();
        double[][] sums = new double[textCount][];
        long[] weights = new long[textCount];
        float[][] single = new float[textCount][];
        for (int s = 0; s < segments.size(); s++) {
            Segment seg = segments.get(s);
            int t = seg.textIndex();
            if (single[t] == null && sums[t] == null) {
                single[t] = pooled[s];
                weights[t] = seg.weight();
                continue;
            }
            if (sums[t] == null) {
                sums[t] = new double[dim];
                accumulate(sums[t], single[t], weights[t]);
            }
            accumulate(sums[t], pooled[s], seg.weight());
            weights[t] += seg.weight();
        }
        List<float[]> out = new ArrayList<>(textCount);
        for (int t = 0; t < textCount; t++) {
            float[] v;
            if (sums[t] == null) {
                v = single[t];
            } else {
                v = new float[dim];
                for (int d = 0; d < dim; d++) {
                    v[d] = (float) (sums[t][d] / weights[t]);
                }
            }
            out.add(normalize ? Vectors.l2Normalized(v) : v);
        }
        return out;
    }

    private static void accumulate(double[] sum, float[] v, long weight) {
        for (int d = 0; d < sum.length; d++) {
            sum[d] += (double) v[d] * weight;
        }
    }

    private ClosedException closedWhileRunning() {
        return new ClosedException("local model " + modelId + " was closed while this call ran; nothing was returned for it");
    }

    /**
     * Refuses new calls, lets the calls in flight finish for up to {@link #CLOSE_GRACE}, stops the rest, then stops
     * the threads and frees the native session (see the class comment). Closing twice is harmless.
     */
    @Override
    public void close() {
        close(CLOSE_GRACE);
    }

    /** {@link #close()} with another grace for the calls in flight (tests use a short one to reach the stopping path). */
    void close(Duration grace) {
        if (!calls.close()) {
            return;
        }
        if (!calls.awaitIdle(grace)) {
            session.terminateRuns();
            // never-started micro-batches would leave their callers waiting forever: cancel them
            workers.shutdownNow().forEach(task -> ((Future<?>) task).cancel(false));
        }
        workers.shutdownNow();
        session.close(Duration.ZERO); // frees only when no run is inside, waiting up to TERMINATE_BOUND for that
    }

    /** UP while the session is open and takes calls, DOWN once {@link #close()} began. */
    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<String, Object>(counters());
        details.put("model", modelId);
        details.put("calls_running", calls.inside());
        if (calls.isClosed()) {
            return new Health("embedder:" + modelId, HealthStatus.DOWN, "local model " + modelId
                    + " is closed: its ONNX Runtime session is freed and it takes no more calls", details);
        }
        OnnxStats s = stats();
        return new Health("embedder:" + modelId, HealthStatus.UP, "local model " + modelId + " loaded, ONNX Runtime session open ("
                + s.texts() + " texts embedded in " + s.inferenceCalls() + " inference calls)", details);
    }

    @Override
    public String toString() {
        return "OnnxEmbeddingModel[" + modelId + ", " + config + "]";
    }

    /** One model window of one text: the token ids with {@code [CLS]}/{@code [SEP]}, and its weight (content tokens). */
    private record Segment(int textIndex, int[] sequence, int weight) {
    }
}
