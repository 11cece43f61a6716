package dev.parallelrag.cli;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import picocli.CommandLine;

/** The {@code local} embedding provider: a bundled ONNX model from parallelrag-onnx (default {@link OnnxEmbeddingModel#DEFAULT_MODEL}). */
final class LocalEmbeddings {

    private LocalEmbeddings() {
    }

    static EmbeddingModel model(CommandLine.Model.CommandSpec spec, String modelName) {
        String name = modelName == null || modelName.isBlank() ? OnnxEmbeddingModel.DEFAULT_MODEL : modelName;
        try {
            return OnnxEmbeddingModel.named(name, OnnxEmbeddingConfig.defaults());
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
