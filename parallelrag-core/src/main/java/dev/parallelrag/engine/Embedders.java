package dev.parallelrag.engine;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.spi.EmbeddingModelProvider;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.resilience.ResilienceDefaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * Turns an embedder kind and model name into a spec and a model: kinds registered through
 * {@link EmbeddingModelProvider} ({@code local}), and the remote providers with embeddings (through
 * {@link Providers}, behind an {@code EmbeddingClient} with its retries and limits).
 */
final class Embedders {

    /** The providers with an embeddings API. */
    static final List<ProviderKind> REMOTE = List.of(ProviderKind.OPENAI, ProviderKind.GEMINI, ProviderKind.OLLAMA,
            ProviderKind.COMPATIBLE);

    private final Map<String, EmbeddingModelProvider> plugins = new LinkedHashMap<>();

    Embedders(ClassLoader loader) {
        for (EmbeddingModelProvider p : ServiceLoader.load(EmbeddingModelProvider.class, loader)) {
            plugins.putIfAbsent(p.kind(), p);
        }
    }

    /**
     * The spec of a model not yet built: a plug-in describes its own models; a remote one is known by
     * provider and name (its dimension comes with the first vectors).
     */
    EmbedderSpec describe(String kind, String model) {
        String k = kind == null ? EmbedderSpec.LOCAL : kind.strip().toLowerCase(Locale.ROOT);
        EmbeddingModelProvider plugin = plugins.get(k);
        if (plugin != null) {
            return plugin.describe(model == null ? plugin.defaultModel() : model);
        }
        ProviderKind remote = remote(k);
        if (model == null || model.isBlank()) {
            throw new ValidationException("embedder.model", model, "is required for embedder " + k
                    + " (the provider's embedding model name, e.g. text-embedding-3-small)");
        }
        return new EmbedderSpec(remote.id(), model.strip(), remote.id() + "/" + model.strip(), 0, false,
                EmbedderSpec.POOLED_BY_PROVIDER, "");
    }

    /** True when the kind's models run in this process (a plug-in's, or one of your own). */
    boolean local(EmbedderSpec spec) {
        return plugins.containsKey(spec.kind()) || spec.kind().equals(EmbedderSpec.CUSTOM);
    }

    /**
     * Builds the model a spec describes; a remote one gets its connection from {@code config} or the
     * environment and, in its client, {@code resilience} (null for the provider's defaults) with
     * {@code ioConcurrency} calls in flight at most (0 for the config's {@code maxConcurrency}).
     */
    EmbeddingModel create(EmbedderSpec spec, ProviderConfig config, UnaryOperator<String> environment, ResilienceConfig resilience,
                          int ioConcurrency) {
        EmbeddingModelProvider plugin = plugins.get(spec.kind());
        if (plugin != null) {
            return plugin.create(spec);
        }
        if (spec.kind().equals(EmbedderSpec.CUSTOM)) {
            throw new ValidationException("embedder", spec.modelId(), "is a model of your own that the index cannot rebuild by name;"
                    + " pass it again with ParallelRag.builder(dir).embeddingModel(model)");
        }
        ProviderKind remote = remote(spec.kind());
        ProviderConfig c = config != null ? config : ProviderConfig.builder(remote).environment(environment).build();
        if (c.kind() != remote) {
            throw new ValidationException("providerConfig", c.kind().id(), "is for another provider than the index's embedder "
                    + remote.id() + "; give a config for " + remote.id());
        }
        EmbeddingModel model = Providers.embeddingModel(c, spec.model());
        ResilienceConfig chosen = resilience;
        if (ioConcurrency > 0) { // the provider's own settings but for the bulkhead, as the client would pick them
            ResilienceConfig base = resilience != null ? resilience
                    : model instanceof ResilienceDefaults d ? d.resilienceConfig() : ResilienceConfig.defaults();
            chosen = base.toBuilder().maxConcurrency(ioConcurrency).build();
        }
        return EmbeddingClient.builder(model).resilience(chosen).build();
    }

    private ProviderKind remote(String kind) {
        for (ProviderKind p : REMOTE) {
            if (p.id().equals(kind)) {
                return p;
            }
        }
        List<String> known = new ArrayList<>(plugins.keySet());
        REMOTE.forEach(p -> known.add(p.id()));
        throw new ValidationException("embedder.kind", kind, "is not an embedder this class path has; use one of "
                + String.join(", ", known) + (plugins.containsKey(EmbedderSpec.LOCAL) ? ""
                : " (add parallelrag-onnx for the local models)"));
    }

    @Override
    public String toString() {
        return "Embedders" + Arrays.toString(plugins.keySet().toArray());
    }
}
