package dev.parallelrag.llm;

import dev.parallelrag.error.ValidationException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Options of a completion. Build with {@link #builder()}; values are validated on build.
 *
 * @param maxTokens   most tokens to generate, 1 to 100,000 (default {@value #DEFAULT_MAX_TOKENS})
 * @param temperature sampling temperature 0.0 to 2.0, or empty for the provider's default
 * @param system      a system prompt put before the messages, or empty
 * @param stop        stop sequences (may be empty)
 * @param concurrency requests in flight for {@code completeBatch}, at least 1, or 0 for the client's default
 */
public record CompletionOptions(int maxTokens, OptionalDouble temperature, Optional<String> system, List<String> stop,
                                int concurrency) {

    public static final int DEFAULT_MAX_TOKENS = 1024;
    public static final int MAX_TOKENS_LIMIT = 100_000;

    public CompletionOptions {
        if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
            throw new ValidationException("max_tokens", maxTokens, "must be between 1 and " + MAX_TOKENS_LIMIT);
        }
        if (temperature.isPresent()) {
            double t = temperature.getAsDouble();
            if (!(t >= 0.0 && t <= 2.0)) {
                throw new ValidationException("temperature", t, "must be between 0.0 and 2.0");
            }
        }
        if (concurrency < 0) {
            throw new ValidationException("concurrency", concurrency, "must be at least 1");
        }
        stop = List.copyOf(stop);
    }

    public static CompletionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.system = system;
        b.stop = stop;
        b.concurrency = concurrency;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private OptionalDouble temperature = OptionalDouble.empty();
        private Optional<String> system = Optional.empty();
        private List<String> stop = List.of();
        private int concurrency;

        private Builder() {
        }

        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder temperature(double temperature) {
            this.temperature = OptionalDouble.of(temperature);
            return this;
        }

        public Builder system(String system) {
            this.system = Optional.ofNullable(system).filter(s -> !s.isBlank());
            return this;
        }

        public Builder stop(List<String> stop) {
            this.stop = List.copyOf(stop);
            return this;
        }

        /** Requests in flight for {@code completeBatch}; at least 1. */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new ValidationException("concurrency", concurrency, "must be at least 1");
            }
            this.concurrency = concurrency;
            return this;
        }

        public CompletionOptions build() {
            return new CompletionOptions(maxTokens, temperature, system, stop, concurrency);
        }
    }
}
