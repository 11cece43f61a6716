package dev.parallelrag.cli;

import dev.parallelrag.UserCacheDirectory;
import dev.parallelrag.engine.ParallelRag;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --embedder}, {@code --model} and the embedding-cache options of ingest, passed to the engine: the
 * index records the choice, so ask and search embed questions with the same model without being told.
 */
final class EmbedderOptions {

    @Option(names = "--embedder", paramLabel = "KIND",
            description = "local|openai|ollama|gemini|compatible (default: what the index records; for a new index "
                    + "local, the bundled bge-small-en-v1.5 int8 on ONNX Runtime).")
    String kind;

    @Option(names = "--model", paramLabel = "M",
            description = "Embedding model. local: bge-small-en-v1.5-q (default), bge-small-en-v1.5, "
                    + "all-minilm-l6-v2 or all-minilm-l6-v2-q (-q: int8); remote: the provider's model name.")
    String model;

    @Option(names = "--embedding-cache", paramLabel = "DIR",
            description = {"Persistent embedding cache keyed by embedding space and text, for local and remote embedders "
                    + "(default: " + ParallelRag.EMBEDDING_CACHE_SUBDIRECTORY + "/ in the per-user cache directory, $"
                    + UserCacheDirectory.ENV + " or ~/.cache/parallelrag, shared by every index). Text found there",
                    "is not embedded again, for example when re-ingesting into a fresh index or with another splitter whose "
                            + "chunks partly coincide."})
    Path cacheDirectory;

    @Option(names = "--no-embedding-cache", description = "Embed every new chunk, keep no cache.")
    boolean noCache;

    /** Applies the options to the engine builder; the engine checks them against the index. */
    ParallelRag.Builder apply(ParallelRag.Builder builder) {
        if (kind != null || model != null) {
            builder.embedder(kind, model);
        }
        builder.embeddingCache(!noCache);
        if (cacheDirectory != null) {
            builder.embeddingCacheDirectory(cacheDirectory);
        }
        return builder;
    }
}
