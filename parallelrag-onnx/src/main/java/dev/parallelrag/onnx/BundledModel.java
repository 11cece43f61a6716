package dev.parallelrag.onnx;

import dev.parallelrag.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The models this module runs from LangChain4j's model jars, one Maven artifact per model, each holding the
 * {@code <name>.onnx} file and its {@code <name>-tokenizer.json}. What each one needs beyond its files is fixed
 * by the model's authors, not chosen here: the pooling (sentence-transformers' mean for all-MiniLM-L6-v2, the
 * {@code [CLS]} vector for bge, as LangChain4j's {@code BgeSmallEnV15EmbeddingModel} pools it), L2
 * normalisation for all, and bge's instruction before each search query (BAAI's model card).
 */
enum BundledModel {

    ALL_MINILM_L6_V2(OnnxEmbeddingModel.ALL_MINILM_L6_V2, "all-minilm-l6-v2", Pooling.MEAN, "", false),
    ALL_MINILM_L6_V2_Q(OnnxEmbeddingModel.ALL_MINILM_L6_V2_Q, "all-minilm-l6-v2-q", Pooling.MEAN, "", true),
    BGE_SMALL_EN_V15(OnnxEmbeddingModel.BGE_SMALL_EN_V15, "bge-small-en-v15", Pooling.CLS,
            OnnxEmbeddingModel.BGE_QUERY_INSTRUCTION, false),
    BGE_SMALL_EN_V15_Q(OnnxEmbeddingModel.BGE_SMALL_EN_V15_Q, "bge-small-en-v15-q", Pooling.CLS,
            OnnxEmbeddingModel.BGE_QUERY_INSTRUCTION, true);

    /** All four embed into 384 dimensions, known without loading them. */
    static final int DIMENSION = 384;

    private final String modelName;
    private final String artifact;
    private final Pooling pooling;
    private final String queryPrefix;
    private final boolean quantized;

    BundledModel(String modelName, String artifactSuffix, Pooling pooling, String queryPrefix, boolean quantized) {
        this.modelName = modelName;
        this.artifact = "langchain4j-embeddings-" + artifactSuffix;
        this.pooling = pooling;
        this.queryPrefix = queryPrefix;
        this.quantized = quantized;
    }

    /** The model by its name (case-insensitive, surrounding blanks ignored), or empty for a name that is not bundled. */
    static Optional<BundledModel> named(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.modelName.equals(n)).findFirst();
    }

    /**
     * The model by its name, else a ValidationException naming the bundled ones.
     *
     * @param otherwise what else the caller can do, appended to the error (empty for nothing)
     */
    static BundledModel require(String name, String otherwise) {
        return named(name).orElseThrow(() -> new ValidationException("model", name, "is not a bundled local model; use " + names()
                + otherwise));
    }

    /** The names, for an error message: "a, b, c or d". */
    static String names() {
        String all = Arrays.stream(values()).map(BundledModel::modelName).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    /** The name the CLI's {@code --model} and the index record, e.g. {@code bge-small-en-v1.5}. */
    String modelName() {
        return modelName;
    }

    /** The jar's artifact id in group {@code dev.langchain4j}. */
    String artifact() {
        return artifact;
    }

    /** What to add when the model's jar is missing (its version is the one parallelrag-bom manages). */
    String coordinates() {
        return "dev.langchain4j:" + artifact;
    }

    String onnxResource() {
        return modelName + ".onnx";
    }

    String tokenizerResource() {
        return modelName + "-tokenizer.json";
    }

    Pooling pooling() {
        return pooling;
    }

    /** Put before each query and never before a document; empty for a model trained without one. */
    String queryPrefix() {
        return queryPrefix;
    }

    /**
     * Its activations are quantized dynamically, one scale per tensor, so a text's vector would depend on the other
     * texts (and padding) of its micro-batch: it runs one text per inference call.
     */
    boolean dynamicallyQuantized() {
        return quantized;
    }
}
