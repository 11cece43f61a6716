package dev.parallelrag.provider;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.spi.WireFormatProvider;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Small factories: the model for a provider, and ready clients. The models come from the
 * {@link WireFormatProvider} of the config's wire format, found on the class path with
 * {@link ServiceLoader} (the {@code parallelrag-providers} module has all four).
 *
 * <pre>{@code
 * LlmClient llm = Providers.llmClient(ProviderConfig.fromEnvironment(ProviderKind.ANTHROPIC), "claude-3-5-haiku-latest");
 * EmbeddingClient emb = Providers.embeddingClient(ProviderConfig.builder(ProviderKind.OPENAI)
 *         .baseUrl("http://localhost:8080").apiKey("test").build(), "text-embedding-3-small");
 * }</pre>
 */
public final class Providers {

    private Providers() {
    }

    /** The chat model for the config's wire format. */
    public static ChatModel chatModel(ProviderConfig config, String model) {
        return wire(config).chatModel(config, model);
    }

    /** The embedding model for the config's wire format; Anthropic has no embeddings API. */
    public static EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return wire(config).embeddingModel(config, model);
    }

    public static LlmClient llmClient(ProviderConfig config, String model) {
        return LlmClient.create(chatModel(config, model));
    }

    /** A client for a provider configured from the environment. */
    public static LlmClient llmClient(ProviderKind kind, String model) {
        return llmClient(ProviderConfig.fromEnvironment(kind), model);
    }

    public static EmbeddingClient embeddingClient(ProviderConfig config, String model) {
        return EmbeddingClient.create(embeddingModel(config, model));
    }

    public static EmbeddingClient embeddingClient(ProviderKind kind, String model) {
        return embeddingClient(ProviderConfig.fromEnvironment(kind), model);
    }

    private static WireFormatProvider wire(ProviderConfig config) {
        WireFormatProvider found = Installed.BY_FORMAT.get(config.kind().wire());
        if (found == null) {
            throw new IllegalStateException("no implementation of the " + config.kind().wire().name().toLowerCase(
                    java.util.Locale.ROOT) + " wire format (provider " + config.kind().id() + ") is on the class path; "
                    + "add the dependency dev.parallelrag:parallelrag-providers, or a module of your own that lists a "
                    + WireFormatProvider.class.getName() + " in META-INF/services");
        }
        return found;
    }

    /** The implementations on the class path, looked up once, on first use. */
    private static final class Installed {
        static final Map<ProviderKind.WireFormat, WireFormatProvider> BY_FORMAT = load();

        private static Map<ProviderKind.WireFormat, WireFormatProvider> load() {
            Map<ProviderKind.WireFormat, WireFormatProvider> byFormat = new EnumMap<>(ProviderKind.WireFormat.class);
            for (WireFormatProvider p : ServiceLoader.load(WireFormatProvider.class, Providers.class.getClassLoader())) {
                WireFormatProvider other = byFormat.putIfAbsent(p.wireFormat(), p);
                if (other != null && other.getClass() != p.getClass()) {
                    throw new IllegalStateException("two implementations of the " + p.wireFormat() + " wire format are on"
                            + " the class path (" + other.getClass().getName() + " and " + p.getClass().getName()
                            + "); keep one");
                }
            }
            return byFormat;
        }
    }
}
