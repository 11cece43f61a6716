package dev.parallelrag.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** LangChain4j's in-process models (test scope only), as the reference our vectors must match. */
final class ReferenceVectors {

    private ReferenceVectors() {
    }

    /** LangChain4j's AllMiniLmL6V2EmbeddingModel: its bundled tokenizer.json truncates every text to 128 tokens. */
    static List<float[]> allMiniLm(List<String> texts) {
        return vectors(new AllMiniLmL6V2EmbeddingModel(), texts);
    }

    /**
     * LangChain4j's generic OnnxEmbeddingModel on the same model file and the same tokenizer.json with its
     * 128-token truncation removed: LangChain4j then embeds up to 510 tokens whole, as we do.
     */
    static List<float[]> allMiniLmUntruncated(List<String> texts, Path workDir) {
        return untruncated("all-minilm-l6-v2", PoolingMode.MEAN, texts, workDir);
    }

    /** LangChain4j's BgeSmallEnV15EmbeddingModel ({@code [CLS]} pooling): like all-MiniLM-L6-v2's, it cuts texts to 128 tokens. */
    static List<float[]> bgeSmallEnV15(List<String> texts) {
        return vectors(new BgeSmallEnV15EmbeddingModel(), texts);
    }

    static List<float[]> bgeSmallEnV15Quantized(List<String> texts) {
        return vectors(new BgeSmallEnV15QuantizedEmbeddingModel(), texts);
    }

    private static List<float[]> vectors(dev.langchain4j.model.embedding.EmbeddingModel model, List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream().map(e -> e.vector()).toList();
    }

    /**
     * LangChain4j's generic OnnxEmbeddingModel on a bundled model's own files ({@code name}.onnx and its
     * tokenizer.json, the truncation widened to the 512-token model limit), pooled as given.
     */
    static List<float[]> untruncated(String name, PoolingMode pooling, List<String> texts, Path workDir) {
        try {
            Path onnx = workDir.resolve(name + ".onnx");
            Path tokenizer = workDir.resolve(name + "-tokenizer.json");
            try (InputStream in = ReferenceVectors.class.getResourceAsStream("/" + name + ".onnx")) {
                Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectMapper json = new ObjectMapper();
            try (InputStream in = ReferenceVectors.class.getResourceAsStream("/" + name + "-tokenizer.json")) {
                ObjectNode root = (ObjectNode) json.readTree(in);
                // DJL keeps a 128-token cut when the field is null (bge's), so state the model's limit instead
                root.putObject("truncation").put("direction", "Right").put("max_length", 512).put("strategy", "LongestFirst")
                        .put("stride", 0);
                json.writeValue(tokenizer.toFile(), root);
            }
            return vectors(new OnnxEmbeddingModel(onnx, tokenizer, pooling), texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
