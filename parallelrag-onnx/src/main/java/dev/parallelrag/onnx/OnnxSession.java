package dev.parallelrag.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.parallelrag.runtime.CloseGate;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shared ONNX Runtime session of a model. {@link OrtSession#run} is thread-safe, so callers run
 * micro-batches on it concurrently; the session's own thread pool is sized by {@code intraOpThreads}.
 *
 * <p>Freeing the native session while a run is inside it crashes the process (SIGSEGV in ONNX Runtime), so
 * every run passes a {@link CloseGate}: {@link #close} refuses new runs, waits for the ones inside, and frees
 * native memory only once none is left. {@link #terminateRuns()} asks the runs inside to stop early.
 */
final class OnnxSession implements AutoCloseable {

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSession.class);
    /** How long {@link #close()} waits for runs inside, and again for terminated runs to leave. */
    static final Duration TERMINATE_BOUND = Duration.ofSeconds(10);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final String output;
    private final int dimension;
    private final ModelLoad load;
    private final CloseGate runs;
    /** The options of every run inside, so that {@link #terminateRuns()} can reach them. */
    private final Set<OrtSession.RunOptions> running = ConcurrentHashMap.newKeySet();
    private volatile boolean terminating;
    private boolean freed; // guarded by this

    private OnnxSession(OrtEnvironment env, OrtSession session, String location, ModelLoad load) throws OrtException {
        this.env = env;
        this.runs = new CloseGate("the ONNX Runtime session of " + location + " is closed; load the model again");
        this.load = load;
        this.session = session;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (!inputs.containsKey(INPUT_IDS) || !inputs.containsKey(ATTENTION_MASK)) {
            throw new ModelLoadException(location, "its inputs are " + inputs.keySet() + ", not input_ids and attention_mask", null);
        }
        this.takesTokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        this.output = outputs.containsKey("last_hidden_state") ? "last_hidden_state" : outputs.keySet().iterator().next();
        long[] shape = ((TensorInfo) outputs.get(output).getInfo()).getShape();
        if (shape.length != 3 || shape[2] <= 0) {
            throw new ModelLoadException(location, "output " + output + " has shape " + java.util.Arrays.toString(shape)
                    + ", expected [batch, sequence, hidden] token vectors", null);
        }
        this.dimension = (int) shape[2];
    }

    static OnnxSession open(ModelSource source, OnnxEmbeddingConfig config) {
        long start = System.nanoTime();
        config.modelCacheDirectory().ifPresent(NativeLibraryCache::prepare);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        NativeLibraryCache.removeLoaderTemporaryDirectory();
        try (OrtSession.SessionOptions options = config.sessionOptions()) {
            SessionLoader.Loaded loaded = SessionLoader.load(env, source, config, options);
            ModelLoad load = new ModelLoad(loaded.cache(), Duration.ofNanos(System.nanoTime() - start));
            try {
                return new OnnxSession(env, loaded.session(), source.location(), load);
            } catch (RuntimeException | OrtException e) {
                loaded.session().close();
                throw e;
            }
        } catch (OrtException e) {
            throw new ModelLoadException(source.location(), e.getMessage(), e);
        }
    }

    ModelLoad load() {
        return load;
    }

    int dimension() {
        return dimension;
    }

    /**
     * Runs one micro-batch: sequences (already with {@code [CLS]}/{@code [SEP]}) padded to the longest,
     * with {@code padId}, and returns one pooled, not yet normalised, vector per sequence.
     */
    float[][] pooled(List<int[]> sequences, Pooling pooling, int padId) throws OrtException {
        runs.enter();
        try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            running.add(options);
            try {
                if (terminating) {
                    throw runs.closedError(); // closing stopped waiting before this run began
                }
                return run(sequences, pooling, padId, options);
            } finally {
                synchronized (options) { // terminateRuns never touches options that are being freed
                    running.remove(options);
                }
            }
        } finally {
            runs.exit();
        }
    }

    private float[][] run(List<int[]> sequences, Pooling pooling, int padId, OrtSession.RunOptions options) throws OrtException {
        int rows = sequences.size();
        int width = 0;
        for (int[] s : sequences) {
            width = Math.max(width, s.length);
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            int[] s = sequences.get(r);
            int base = r * width;
            for (int t = 0; t < width; t++) {
                if (t < s.length) {
                    ids[base + t] = s[t];
                    mask[base + t] = 1;
                } else {
                    ids[base + t] = padId;
                }
            }
        }
        long[] shape = {rows, width};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (takesTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[rows * width]), shape));
            }
            try (OrtSession.Result result = session.run(inputs, options)) {
                OnnxTensor hidden = (OnnxTensor) result.get(output).orElseThrow();
                return pool(hidden.getFloatBuffer(), sequences, width, pooling);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[][] pool(FloatBuffer hidden, List<int[]> sequences, int width, Pooling pooling) {
        float[][] out = new float[sequences.size()][dimension];
        for (int r = 0; r < sequences.size(); r++) {
            float[] v = out[r];
            int rowBase = r * width * dimension;
            if (pooling == Pooling.CLS) {
                hidden.get(rowBase, v, 0, dimension);
                continue;
            }
            int len = sequences.get(r).length;
            // sum in double: a 512-token window would otherwise lose low bits the reference keeps
            double[] sum = new double[dimension];
            for (int t = 0; t < len; t++) {
                int base = rowBase + t * dimension;
                for (int d = 0; d < dimension; d++) {
                    sum[d] += hidden.get(base + d);
                }
            }
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) (sum[d] / len);
            }
        }
        return out;
    }

    /** True once {@link #close} began or a run was terminated: a failed run then failed because of closing. */
    boolean closing() {
        return runs.isClosed() || terminating;
    }

    /**
     * Asks every run inside to stop at ONNX Runtime's next check (between graph nodes, so within milliseconds):
     * each then fails with an {@code OrtException}. Later runs are refused.
     */
    void terminateRuns() {
        runs.close();
        terminating = true;
        for (OrtSession.RunOptions options : running) {
            synchronized (options) {
                if (running.contains(options)) {
                    try {
                        options.setTerminate(true);
                    } catch (OrtException e) {
                        LOG.debug("cannot terminate an ONNX Runtime run ({}); closing waits for it to finish", e.toString());
                    }
                }
            }
        }
    }

    /** Refuses new runs and frees the session as soon as no run is inside; never while one is. Idempotent. */
    @Override
    public void close() {
        close(TERMINATE_BOUND);
    }

    /**
     * Refuses new runs, waits up to {@code bound} for the runs inside, terminates those still running and waits up
     * to {@link #TERMINATE_BOUND} more, then frees the native session. A run that has still not returned keeps the
     * session alive (its memory is freed when the process exits): leaking it is recoverable, freeing it is not.
     */
    void close(Duration bound) {
        runs.close();
        boolean idle = runs.awaitIdle(bound);
        if (!idle) {
            terminateRuns();
            idle = runs.awaitIdle(TERMINATE_BOUND);
        }
        if (!idle) {
            LOG.warn("{} ONNX Runtime run(s) still running {} s after close began, though terminated; the native"
                    + " session is left to the process exit instead of being freed under them", runs.inside(),
                    bound.plus(TERMINATE_BOUND).toSeconds());
            return;
        }
        synchronized (this) {
            if (freed) {
                return;
            }
            freed = true;
        }
        try {
            session.close();
        } catch (OrtException e) {
            // closing only frees native memory; nothing the caller can do about a failure here
        }
    }
}
