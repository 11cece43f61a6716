package dev.parallelrag.provider;

import dev.parallelrag.Internal;
import dev.parallelrag.error.ValidationException;

/**
 * An API key. {@link #toString()} prints {@code ****}, so a key never ends up in logs, messages or dumps by
 * accident; its text is read only where a request is signed ({@link #value()}). Public only so that the
 * wire formats in {@code parallelrag-providers} can sign requests; users pass keys as strings.
 */
@Internal
public final class ApiKey {

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

    /** The key's text, to sign a request with; never log or print it. */
    public String value() {
        return value;
    }

    /** Replaces every occurrence of the key in {@code text} with {@code ****} (providers sometimes echo it). */
    public String redact(String text) {
        return text == null ? null : text.replace(value, "****");
    }

    @Override
    public String toString() {
        return "****";
    }
}
