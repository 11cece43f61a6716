package dev.parallelrag.provider;

import dev.parallelrag.error.ValidationException;

/**
 * An API key. Its text is reachable only inside this package, where requests are signed; {@link #toString()}
 * prints {@code ****}, so a key never ends up in logs, messages or dumps by accident.
 */
final class ApiKey {

    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    public static ApiKey of(String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException("apiKey", "(blank)", "must not be blank");
        }
        return new ApiKey(value.strip());
    }

    String value() {
        return value;
    }

    /** Replaces every occurrence of the key in {@code text} with {@code ****} (providers sometimes echo it). */
    String redact(String text) {
        return text == null ? null : text.replace(value, "****");
    }

    @Override
    public String toString() {
        return "****";
    }
}
