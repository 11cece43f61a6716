package dev.parallelrag.cli;

import dev.parallelrag.embed.EmbeddingModel;
import picocli.CommandLine;

/** The {@code local} embedding provider: the ONNX model from parallelrag-onnx. */
final class LocalEmbeddings {

    private LocalEmbeddings() {
    }

    static EmbeddingModel model(CommandLine.Model.CommandSpec spec, String modelName) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--provider local needs the built-in ONNX "
                + "embedding model, which this build does not include yet; use --provider openai|gemini|ollama|compatible");
    }
}
