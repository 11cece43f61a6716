package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.split.TextSplitter;
import picocli.CommandLine.Option;

/** {@code --splitter}, {@code --chunk-size} and {@code --chunk-overlap} of ingest. */
final class ChunkingOptions {

    enum Kind { recursive, character, token, sentence }

    @Option(names = "--splitter", paramLabel = "KIND", defaultValue = "recursive",
            description = "recursive|character|token|sentence (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "1000",
            description = "Largest chunk in code points (tokens for the token splitter). Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--chunk-overlap", paramLabel = "N", defaultValue = "200",
            description = "Overlap between neighbouring chunks, same unit. Default: ${DEFAULT-VALUE}.")
    int chunkOverlap;

    TextSplitter build() {
        try {
            return switch (kind) {
                case recursive -> Splitters.recursive(chunkSize, chunkOverlap);
                case character -> Splitters.character(chunkSize, chunkOverlap);
                case token -> Splitters.token(chunkSize, chunkOverlap);
                case sentence -> Splitters.sentence(chunkSize, chunkOverlap);
            };
        } catch (ValidationException e) {
            String option = switch (e.field()) {
                case "chunkSize" -> "--chunk-size";
                case "chunkOverlap" -> "--chunk-overlap";
                default -> e.field();
            };
            throw new ValidationException(option, e.value(), e.rule());
        }
    }
}
