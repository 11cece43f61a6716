package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --llm} and {@code --model} of ask: which LLM writes the answer, if any. */
final class LlmOptions {

    enum Kind { none, openai, anthropic, gemini, groq, xai, ollama, compatible }

    @Option(names = "--llm", paramLabel = "PROVIDER", defaultValue = "none",
            description = "none|openai|anthropic|gemini|groq|xai|ollama|compatible (default: ${DEFAULT-VALUE}: an extractive answer, offline). "
                    + "Keys and base URLs come from the environment (OPENAI_API_KEY, OPENAI_BASE_URL, ...).")
    Kind kind;

    @Option(names = "--model", paramLabel = "M", description = "LLM model name (default per provider, e.g. gpt-4o-mini for openai).")
    String model;

    /**
     * The LLM client with {@code resilience} (empty for the provider's defaults) and {@code fallbacks}, or null for
     * {@code --llm none}. The caller closes it.
     */
    LlmClient create(Optional<ResilienceConfig> resilience, FallbackLlmOptions.Fallbacks fallbacks) {
        return create(resilience, fallbacks, null);
    }

    /** As {@link #create(Optional, FallbackLlmOptions.Fallbacks)}, its meters in {@code meters} (null: its own). */
    LlmClient create(Optional<ResilienceConfig> resilience, FallbackLlmOptions.Fallbacks fallbacks, MeterRegistry meters) {
        if (kind == Kind.none) {
            if (model != null) {
                throw new ValidationException("--model", model, "needs --llm (with --llm none the answer is extractive)");
            }
            if (!fallbacks.clients().isEmpty()) {
                throw new ValidationException("--fallback-llm", fallbacks.clients().getFirst().name(),
                        "needs --llm (a fallback takes over from an LLM; with --llm none the answer is extractive)");
            }
            return null;
        }
        ChatModel chat = Providers.chatModel(ProviderConfig.fromEnvironment(ProviderKind.fromId(kind.name())),
                model != null ? model : defaultModel());
        LlmClient.Builder builder = fallbacks.addTo(LlmClient.builder(chat)).resilience(resilience.orElse(null));
        return (meters == null ? builder : builder.meterRegistry(meters)).build();
    }

    private String defaultModel() {
        String name = ProviderKind.fromId(kind.name()).defaultChatModel();
        if (name.isEmpty()) {
            throw new ValidationException("--model", null, "is required with --llm " + kind + " (the model name your endpoint serves)");
        }
        return name;
    }
}
