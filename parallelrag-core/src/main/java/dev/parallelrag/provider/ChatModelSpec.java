package dev.parallelrag.provider;

import dev.parallelrag.error.ValidationException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider's chat model written as one piece of text, as the command line's {@code --fallback-llm} takes it:
 * {@code PROVIDER[:MODEL][@BASE_URL][#KEY_VARIABLE]}.
 *
 * <ul>
 *   <li>{@code openai:gpt-4o-mini}: key and base URL from the provider's variables ({@code OPENAI_API_KEY},
 *       {@code OPENAI_BASE_URL}), as for any client built from the environment;</li>
 *   <li>{@code anthropic}: the provider's default chat model ({@link ProviderKind#defaultChatModel()});</li>
 *   <li>{@code compatible:llama-3.1-8b@http://10.0.0.5:8000/v1}: another endpoint (the base URL wins over the
 *       variable);</li>
 *   <li>{@code openai:gpt-4o-mini#OPENAI_BACKUP_API_KEY}: another key of the same provider, read from that
 *       variable (which must then be set). Keys are never written into the text itself, so they stay out of
 *       shell history and process lists.</li>
 * </ul>
 * The model is everything between the first {@code :} and the {@code @} (Ollama's {@code llama3.2:1b} keeps its
 * colon).
 *
 * @param kind        the provider
 * @param model       the model name
 * @param baseUrl     the endpoint, when not the provider's variable or default
 * @param keyVariable the environment variable holding the key, when not the provider's
 */
public record ChatModelSpec(ProviderKind kind, String model, Optional<String> baseUrl, Optional<String> keyVariable) {

    private static final Pattern FORM = Pattern.compile("([A-Za-z]+)(?::([^@#]*))?(?:@([^#]*))?(?:#(.*))?");

    public ChatModelSpec {
        Objects.requireNonNull(kind, "kind");
        if (model == null || model.isBlank()) {
            throw new ValidationException("model", model, "must name the model, e.g. " + kind.id() + ":MODEL");
        }
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(keyVariable, "keyVariable");
    }

    /**
     * Reads {@code PROVIDER[:MODEL][@BASE_URL][#KEY_VARIABLE]}.
     *
     * @throws ValidationException naming the part that is wrong and the form that is expected
     */
    public static ChatModelSpec parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new ValidationException("llm", shown(text), "must be PROVIDER[:MODEL][@BASE_URL][#KEY_VARIABLE],"
                    + " e.g. openai:gpt-4o-mini or compatible:my-model@http://localhost:8000/v1");
        }
        ProviderKind kind = ProviderKind.fromId(m.group(1));
        String model = m.group(2) == null || m.group(2).isBlank() ? kind.defaultChatModel() : m.group(2).strip();
        if (model.isEmpty()) {
            throw new ValidationException("llm", shown(text), "needs a model for provider " + kind.id()
                    + " (the model name your endpoint serves), e.g. " + kind.id() + ":MODEL@BASE_URL");
        }
        Optional<String> baseUrl = optional(m.group(3), text, "@ needs a base URL after it, e.g. @http://localhost:8000/v1");
        Optional<String> key = optional(m.group(4), text, "# needs the name of the environment variable holding the key");
        if (key.isPresent() && !key.get().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // what follows # may be a key pasted by mistake: the error must not repeat it
            throw new ValidationException("llm", shown(text), "has after # something that is not an environment"
                    + " variable name (letters, digits and _); write the name of the variable holding the key, never the key");
        }
        return new ChatModelSpec(kind, model, baseUrl, key);
    }

    private static Optional<String> optional(String part, String text, String rule) {
        if (part == null) {
            return Optional.empty();
        }
        if (part.isBlank()) {
            throw new ValidationException("llm", shown(text), rule);
        }
        return Optional.of(part.strip());
    }

    /**
     * The text as an error may repeat it: without the user info of a base URL ({@code //user:password@}) and
     * without what follows {@code #} unless it is a variable's name.
     */
    private static String shown(String text) {
        if (text == null) {
            return null;
        }
        String noUserInfo = text.replaceAll("//[^/@#]*@", "//");
        int hash = noUserInfo.indexOf('#');
        if (hash < 0 || noUserInfo.substring(hash + 1).strip().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return noUserInfo;
        }
        return noUserInfo.substring(0, hash + 1) + "(hidden)";
    }

    /** Where to reach it: the base URL and key variable given here, everything else from {@code environment}. */
    public ProviderConfig config(UnaryOperator<String> environment) {
        ProviderConfig.Builder b = ProviderConfig.builder(kind).environment(environment);
        baseUrl.ifPresent(b::baseUrl);
        keyVariable.ifPresent(b::apiKeyVariable);
        return b.build();
    }

    /** {@code provider:model}, the name an {@code LlmClient} of this model answers under. */
    public String name() {
        return kind.id() + ":" + model;
    }

    /** The text form; it holds no key (only the variable's name) and no user info of the base URL. */
    @Override
    public String toString() {
        return name() + baseUrl.map(u -> "@" + u.replaceFirst("//[^/@]*@", "//")).orElse("")
                + keyVariable.map(v -> "#" + v).orElse("");
    }
}
