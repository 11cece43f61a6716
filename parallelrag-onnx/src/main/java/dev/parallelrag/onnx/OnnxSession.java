package dev.parallelrag.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one shared ONNX Runtime session of a model. {@link OrtSession#run} is thread-safe, so callers run
 * micro-batches on it concurrently; the session's own thread pool is sized by {@code intraOpThreads}.
 */
final class OnnxSession implements AutoCloseable {

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final String output;
    private final int dimension;
    private final ModelLoad load;

    private OnnxSession(OrtEnvironment env, OrtSession session, String location, ModelLoad load) throws OrtException {
        this.env = env;
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
            try (OrtSession.Result result = session.run(inputs)) {
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

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing only frees native memory; nothing the caller can do about a failure here
        }
    }
}
