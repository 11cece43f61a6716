package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.embed.cache.CachingEmbeddingModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import dev.parallelrag.resilience.ResilienceConfig;
import picocli.CommandLine.Option;

/**
 * {@code --embedder} and {@code --model} of ingest. The choice is recorded in the index metadata, so ask
 * and search embed questions with the same model without being told again.
 */
final class EmbedderOptions {

    /** Index metadata keys recording the embedder used by ingest. */
    static final String EMBEDDER_KEY = "cli.embedder";
    static final String MODEL_KEY = "cli.embedder_model";

    /** Where the local embedding cache lives when {@code --embedding-cache} is not given: inside the index. */
    static final String CACHE_DIR = "embedding-cache";

    /** Vectors kept in memory in front of the disk cache (about 1.5 KB each at 384 dimensions). */
    private static final long CACHE_MEMORY_ENTRIES = 10_000;

    enum Kind { local, openai, ollama, gemini, compatible }

    @Option(names = "--embedder", paramLabel = "KIND", defaultValue = "local",
            description = "local|openai|ollama|gemini|compatible (default: ${DEFAULT-VALUE}, the bundled all-MiniLM-L6-v2 on ONNX Runtime).")
    Kind kind;

    @Option(names = "--model", paramLabel = "M",
            description = "Embedding model. local: all-minilm-l6-v2 (default) or all-minilm-l6-v2-q; remote: the provider's model name.")
    String model;

    @Option(names = "--embedding-cache", paramLabel = "DIR",
            description = {"Local embedder: persistent embedding cache keyed by model and text (default: "
                    + CACHE_DIR + "/ inside the index). Text found there is not embedded again, for example when",
                    "re-ingesting into a fresh index or with another splitter whose chunks partly coincide."})
    Path cacheDirectory;

    @Option(names = "--no-embedding-cache", description = "Local embedder: embed every new chunk, keep no cache.")
    boolean noCache;

    /** The index metadata recording this choice. */
    Map<String, String> metadata() {
        return Map.of(EMBEDDER_KEY, kind.name(), MODEL_KEY, modelName());
    }

    String modelName() {
        if (model != null) {
            return model;
        }
        if (kind == Kind.local) {
            return OnnxEmbeddingModel.ALL_MINILM_L6_V2;
        }
        throw new ValidationException("--model", null, "is required with --embedder " + kind + " (the provider's embedding model name)");
    }

    /** An embedder and what to close when done. */
    record Embedder(EmbeddingModel embedder, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resource.close();
        }
    }

    /**
     * The embedder ingest uses for the index in {@code indexDirectory}: local models behind the embedding
     * cache, remote ones in a client with {@code resilience} (empty for the provider's defaults).
     */
    Embedder create(Path indexDirectory, Optional<ResilienceConfig> resilience) {
        if (noCache && cacheDirectory != null) {
            throw new ValidationException("--embedding-cache", cacheDirectory, "contradicts --no-embedding-cache; give one of them");
        }
        if (kind != Kind.local && cacheDirectory != null) {
            throw new ValidationException("--embedding-cache", cacheDirectory,
                    "applies to --embedder local only; remove it for --embedder " + kind);
        }
        if (kind != Kind.local || noCache) {
            return create(kind, modelName(), resilience);
        }
        OnnxEmbeddingModel onnx = localModel(modelName());
        Path dir = cacheDirectory != null ? cacheDirectory : indexDirectory.resolve(CACHE_DIR);
        try {
            CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(onnx, CACHE_MEMORY_ENTRIES, dir);
            return new Embedder(cached, cached);
        } catch (RuntimeException e) {
            onnx.close();
            throw e;
        }
    }

    /** The embedder an existing index was built with. */
    static Embedder forIndex(Map<String, String> indexMetadata, String indexLocation) {
        String kind = indexMetadata.get(EMBEDDER_KEY);
        String model = indexMetadata.get(MODEL_KEY);
        if (kind == null || model == null) {
            throw new ValidationException("--index", indexLocation,
                    "holds no ingest yet (no embedder recorded); run `parallelrag ingest PATH --index " + indexLocation + "` first");
        }
        Kind k;
        try {
            k = Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("index embedder", kind, "is unknown to this version; re-ingest the index");
        }
        return create(k, model, Optional.empty());
    }

    private static OnnxEmbeddingModel localModel(String name) {
        return OnnxEmbeddingModel.named(name, OnnxEmbeddingConfig.defaults());
    }

    /** Local models are called directly; remote ones through an EmbeddingClient (retries, breaker, limits). */
    static Embedder create(Kind kind, String model, Optional<ResilienceConfig> resilience) {
        if (kind == Kind.local) {
            OnnxEmbeddingModel onnx = localModel(model);
            return new Embedder(onnx, onnx);
        }
        EmbeddingClient client = EmbeddingClient.builder(Providers.embeddingModel(
                ProviderConfig.fromEnvironment(ProviderKind.fromId(kind.name())), model))
                .resilience(resilience.orElse(null)).build();
        return new Embedder(client, client);
    }
}
