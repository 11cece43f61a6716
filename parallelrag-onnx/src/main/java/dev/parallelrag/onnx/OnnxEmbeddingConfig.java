package dev.parallelrag.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.parallelrag.UserCacheDirectory;
import dev.parallelrag.error.ValidationException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable settings of an {@link OnnxEmbeddingModel}. Build with {@link #builder()}; {@link Builder#build()}
 * validates every value and fails with a {@link ValidationException} naming the setting, value and rule.
 *
 * <p>Defaults, chosen by measurement on a 2-core machine (see docs/BENCHMARKS.md, "Local embeddings"):
 * <ul>
 *   <li>{@code threads}: {@link Runtime#availableProcessors()}. The CPU threads inference may use in total.</li>
 *   <li>{@code intraOpThreads}: 1. ONNX Runtime threads per inference call. Micro-batches run
 *       {@code threads / intraOpThreads} at a time, so the product never exceeds {@code threads}:
 *       the cores stay busy and are never oversubscribed.</li>
 *   <li>{@code maxSequenceLength}: 512 tokens including {@code [CLS]} and {@code [SEP]} (the model's limit).
 *       Longer texts are split into windows of this size.</li>
 *   <li>{@code windowOverlap}: 64 tokens shared by consecutive windows of a long text, so no sentence
 *       loses its context at a window edge. 0 gives back-to-back windows.</li>
 *   <li>{@code batchTokenBudget}: 512 padded tokens (rows x longest row) per inference call, and
 *       {@code maxBatchSize}: 32 sequences per call. Short texts are batched until a call holds about one
 *       full window's worth of tokens, which fills the GEMMs (1.1-1.4x more sentences/s than one per call);
 *       ~256-token chunks run one or two per call, because bigger batches of them push the activations
 *       out of the L2 cache and run slower (measured on the 2-core target machine, docs/BENCHMARKS.md).</li>
 *   <li>{@code allowSpinning}: false. ONNX Runtime's idle threads spin on a busy wait by default, burning
 *       a shared machine's cores; off unless asked for.</li>
 *   <li>{@code fuseGraph}: true. At load, BERT attention and the residual layer norms are rewritten into
 *       ONNX Runtime's fused CPU kernels where the export's pattern allows it (see
 *       {@link dev.parallelrag.onnx.graph.GraphFusions}): the same weights and arithmetic, to float rounding,
 *       in fewer passes over memory. Off loads the file exactly as it is.</li>
 *   <li>{@code modelCacheDirectory}: {@code onnx-models} in the per-user cache directory
 *       ({@code $PARALLELRAG_CACHE_DIR}, else {@code $XDG_CACHE_HOME/parallelrag} or {@code ~/.cache/parallelrag};
 *       {@code ~/Library/Caches/parallelrag} on macOS, {@code %LOCALAPPDATA%\parallelrag} on Windows). The first
 *       load of a model stores the file ONNX Runtime loads there, fused and, for a bundled model, out of its jar;
 *       every later load, in any process, starts from it and skips reading and fusing the model: about 2 s of a
 *       3.5 s {@code search} on the 2-core target (docs/BENCHMARKS.md, "Start-up"). Per user, so that no one
 *       loads a file another user could have written. Entries are verified before use and rebuilt when they do
 *       not match; a directory that cannot be created or written is skipped with one debug line. The same
 *       directory keeps one copy of ONNX Runtime's native libraries, which ONNX Runtime would otherwise copy out
 *       of its jar in every process. {@link Builder#noModelCache()} turns both off.</li>
 * </ul>
 */
public record OnnxEmbeddingConfig(int threads, int intraOpThreads, int maxSequenceLength, int windowOverlap,
                                  int batchTokenBudget, int maxBatchSize, boolean allowSpinning, boolean fuseGraph,
                                  Optional<Path> modelCacheDirectory) {

    /** Subdirectory of the per-user cache directory that holds the model cache by default. */
    public static final String MODEL_CACHE_SUBDIRECTORY = "onnx-models";

    /** Validates every value; a bad one fails with a {@link ValidationException} naming it. */
    public OnnxEmbeddingConfig {
        Objects.requireNonNull(modelCacheDirectory, "modelCacheDirectory (Optional.empty() turns the cache off)");
        modelCacheDirectory = modelCacheDirectory.map(dir -> dir.toAbsolutePath().normalize());
        range("threads", threads, 1, 1024);
        range("intraOpThreads", intraOpThreads, 1, 1024);
        if (intraOpThreads > threads) {
            throw new ValidationException("intraOpThreads", intraOpThreads,
                    "must not exceed threads (" + threads + "): more would oversubscribe the cores; raise threads or lower intraOpThreads");
        }
        range("maxSequenceLength", maxSequenceLength, 8, MODEL_MAX_SEQUENCE_LENGTH);
        int window = maxSequenceLength - 2;
        if (windowOverlap < 0 || windowOverlap > window / 2) {
            throw new ValidationException("windowOverlap", windowOverlap,
                    "must be between 0 and half the window (" + window / 2 + " tokens for maxSequenceLength " + maxSequenceLength + ")");
        }
        if (batchTokenBudget < maxSequenceLength) {
            throw new ValidationException("batchTokenBudget", batchTokenBudget,
                    "must be at least maxSequenceLength (" + maxSequenceLength + ") so that one full window fits in a batch");
        }
        range("batchTokenBudget", batchTokenBudget, maxSequenceLength, 1 << 20);
        range("maxBatchSize", maxBatchSize, 1, 4096);
    }

    /** The model's hard limit: BERT position embeddings cover 512 positions. */
    public static final int MODEL_MAX_SEQUENCE_LENGTH = 512;

    public static OnnxEmbeddingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default {@code modelCacheDirectory}: {@value #MODEL_CACHE_SUBDIRECTORY} in the per-user cache directory. */
    public static Path defaultModelCacheDirectory() {
        return UserCacheDirectory.resolve().resolve(MODEL_CACHE_SUBDIRECTORY);
    }

    /**
     * The ONNX Runtime session options these settings stand for, the one place they are decided (the
     * benchmarks profile sessions built from them too). The caller closes them.
     */
    public OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
            // shapes change with every micro-batch, so a pre-planned memory pattern does not apply. The arena
            // does: it keeps the largest call's buffers for reuse, which the token budget bounds (512 padded
            // tokens per call by default), where malloc fragmented to twice the RSS and ran 15 % slower
            options.setMemoryPatternOptimization(false);
            options.setCPUArenaAllocator(true);
            // denormal intermediates are far below what a unit vector can show, and slow the FPU down
            options.addConfigEntry("session.set_denormal_as_zero", "1");
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** Micro-batches in flight at once: {@code threads / intraOpThreads}. */
    public int parallelism() {
        return Math.max(1, threads / intraOpThreads);
    }

    /** Content tokens per window: the sequence length minus {@code [CLS]} and {@code [SEP]}. */
    public int windowTokens() {
        return maxSequenceLength - 2;
    }

    public Builder toBuilder() {
        return new Builder().threads(threads).intraOpThreads(intraOpThreads).maxSequenceLength(maxSequenceLength)
                .windowOverlap(windowOverlap).batchTokenBudget(batchTokenBudget).maxBatchSize(maxBatchSize)
                .allowSpinning(allowSpinning).fuseGraph(fuseGraph).modelCache(modelCacheDirectory);
    }

    public static final class Builder {
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int intraOpThreads = 1;
        private int maxSequenceLength = MODEL_MAX_SEQUENCE_LENGTH;
        private int windowOverlap = 64;
        private int batchTokenBudget = 512;
        private int maxBatchSize = 32;
        private boolean allowSpinning;
        private boolean fuseGraph = true;
        private Optional<Path> modelCacheDirectory;

        private Builder() {
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public Builder maxSequenceLength(int maxSequenceLength) {
            this.maxSequenceLength = maxSequenceLength;
            return this;
        }

        public Builder windowOverlap(int windowOverlap) {
            this.windowOverlap = windowOverlap;
            return this;
        }

        public Builder batchTokenBudget(int batchTokenBudget) {
            this.batchTokenBudget = batchTokenBudget;
            return this;
        }

        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder allowSpinning(boolean allowSpinning) {
            this.allowSpinning = allowSpinning;
            return this;
        }

        public Builder fuseGraph(boolean fuseGraph) {
            this.fuseGraph = fuseGraph;
            return this;
        }

        /** Where loaded models are cached, ready for ONNX Runtime (see the class documentation for the default). */
        public Builder modelCacheDirectory(Path directory) {
            this.modelCacheDirectory = Optional.of(Objects.requireNonNull(directory, "directory (use noModelCache() to turn the cache off)"));
            return this;
        }

        /** No model cache: every load reads the model and fuses its graph again. */
        public Builder noModelCache() {
            this.modelCacheDirectory = Optional.empty();
            return this;
        }

        private Builder modelCache(Optional<Path> directory) {
            this.modelCacheDirectory = directory;
            return this;
        }

        public OnnxEmbeddingConfig build() {
            // resolved here rather than in the field: only a build that keeps the default reads the environment
            Optional<Path> cache = modelCacheDirectory != null ? modelCacheDirectory : Optional.of(defaultModelCacheDirectory());
            return new OnnxEmbeddingConfig(threads, intraOpThreads, maxSequenceLength, windowOverlap,
                    batchTokenBudget, maxBatchSize, allowSpinning, fuseGraph, cache);
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ValidationException(field, value, "must be between " + min + " and " + max);
        }
    }
}
