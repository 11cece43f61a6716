package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ChatModelSpec;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.ParallelRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * {@code --fallback-llm} and {@code --fallback-cooldown} of {@code complete} and {@code ask}: the LLMs that take a
 * request the first one cannot serve. Option parsing only: the text form is the library's {@link ChatModelSpec},
 * the failover rules are {@code LlmClient}'s, and the cooldown is {@link ResilienceConfig#failoverCooldown()}.
 */
final class FallbackLlmOptions {

    @Option(names = "--fallback-llm", paramLabel = "PROVIDER[:MODEL][@URL][#KEY_VAR]",
            description = "An LLM that takes a request the first one cannot serve (429, 5xx, timeouts, connection errors;"
                    + " not 4xx caller errors); repeat for more, tried in order. E.g. openai:gpt-4o-mini (key and base URL"
                    + " from OPENAI_API_KEY/OPENAI_BASE_URL), compatible:m@http://host:8000/v1 (another endpoint),"
                    + " openai:gpt-4o#BACKUP_KEY (the key from another variable). Default: none.")
    List<String> fallbacks = new ArrayList<>();

    @Option(names = "--fallback-cooldown", paramLabel = "DURATION", converter = RemoteCallOptions.DurationConverter.class,
            description = "How long an LLM that failed is passed over when its provider sends no Retry-After; one probe"
                    + " request per window goes to it meanwhile (default: 30s).")
    Duration cooldown;

    /** The fallback clients and their closing, in the order given. */
    record Fallbacks(List<LlmClient> clients) implements AutoCloseable {
        /** {@code primary} with these fallbacks. */
        LlmClient.Builder addTo(LlmClient.Builder primary) {
            clients.forEach(primary::fallback);
            return primary;
        }

        @Override
        public void close() {
            clients.forEach(LlmClient::close);
        }
    }

    /**
     * The settings of every candidate: {@code base} (the remote-call flags, empty for the providers' defaults) with
     * {@code --fallback-cooldown}; empty when neither says anything.
     *
     * @throws ValidationException for a cooldown without fallbacks (it would change nothing) or out of range
     */
    Optional<ResilienceConfig> resilience(Optional<ResilienceConfig> base) {
        if (cooldown == null) {
            return base;
        }
        if (fallbacks.isEmpty()) {
            throw new ValidationException("--fallback-cooldown", cooldown, "applies to fallbacks only; add --fallback-llm");
        }
        try {
            return Optional.of(base.orElseGet(ResilienceConfig::defaults).toBuilder().failoverCooldown(cooldown).build());
        } catch (ValidationException e) {
            throw new ValidationException("--fallback-cooldown", e.value(), e.rule());
        }
    }

    /**
     * One client per {@code --fallback-llm}, with {@code resilience} (null for each provider's defaults) and the
     * given runtime (null for their own).
     *
     * @throws ValidationException naming {@code --fallback-llm} for text that is not a model, or a missing key
     */
    Fallbacks create(UnaryOperator<String> environment, ResilienceConfig resilience, ParallelRuntime runtime) {
        List<LlmClient> clients = new ArrayList<>();
        try {
            for (String text : fallbacks) {
                ChatModelSpec spec;
                try {
                    spec = ChatModelSpec.parse(text);
                    LlmClient.Builder b = LlmClient.builder(Providers.chatModel(spec.config(environment), spec.model()))
                            .resilience(resilience);
                    if (runtime != null) {
                        b.runtime(runtime);
                    }
                    clients.add(b.build());
                } catch (ValidationException e) {
                    String part = e.field().equals("llm") ? "" : e.field() + " "; // the whole text: nothing to add
                    throw new ValidationException("--fallback-llm", text, part + e.rule());
                }
            }
            return new Fallbacks(List.copyOf(clients));
        } catch (RuntimeException e) {
            clients.forEach(LlmClient::close);
            throw e;
        }
    }
}
