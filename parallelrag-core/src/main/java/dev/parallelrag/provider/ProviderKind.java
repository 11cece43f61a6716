package dev.parallelrag.provider;

import dev.parallelrag.error.ValidationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The providers and presets ParallelRAG speaks to, with their defaults: base URL, the environment
 * variables for key and base URL, the per-attempt timeout, and whether a key is required.
 */
public enum ProviderKind {
    OPENAI("openai", WireFormat.OPENAI, "https://api.openai.com/v1", "OPENAI_API_KEY", "OPENAI_BASE_URL", 60, true),
    GROQ("groq", WireFormat.OPENAI, "https://api.groq.com/openai/v1", "GROQ_API_KEY", "GROQ_BASE_URL", 60, true),
    XAI("xai", WireFormat.OPENAI, "https://api.x.ai/v1", "XAI_API_KEY", "XAI_BASE_URL", 60, true),
    /** Any OpenAI-compatible server (vLLM, LM Studio, Together, ...): base URL required, key optional. */
    COMPATIBLE("compatible", WireFormat.OPENAI, null, "OPENAI_API_KEY", "OPENAI_BASE_URL", 120, false),
    ANTHROPIC("anthropic", WireFormat.ANTHROPIC, "https://api.anthropic.com", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", 60, true),
    GEMINI("gemini", WireFormat.GEMINI, "https://generativelanguage.googleapis.com", "GEMINI_API_KEY", "GEMINI_BASE_URL", 60, true),
    OLLAMA("ollama", WireFormat.OLLAMA, "http://localhost:11434", null, "OLLAMA_HOST", 180, false);

    /** The four wire formats. */
    public enum WireFormat { OPENAI, ANTHROPIC, GEMINI, OLLAMA }

    private final String id;
    private final WireFormat wire;
    private final String defaultBaseUrl;
    private final String apiKeyEnv;
    private final String baseUrlEnv;
    private final Duration attemptTimeout;
    private final boolean keyRequired;

    ProviderKind(String id, WireFormat wire, String defaultBaseUrl, String apiKeyEnv, String baseUrlEnv,
                 int timeoutSeconds, boolean keyRequired) {
        this.id = id;
        this.wire = wire;
        this.defaultBaseUrl = defaultBaseUrl;
        this.apiKeyEnv = apiKeyEnv;
        this.baseUrlEnv = baseUrlEnv;
        this.attemptTimeout = Duration.ofSeconds(timeoutSeconds);
        this.keyRequired = keyRequired;
    }

    /** The name used on the command line and in stats, e.g. {@code openai}. */
    public String id() {
        return id;
    }

    public WireFormat wire() {
        return wire;
    }

    /** The public endpoint, or null for {@link #COMPATIBLE} (which needs a base URL). */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** Environment variable holding the API key, or null when the provider takes none. */
    public String apiKeyEnv() {
        return apiKeyEnv;
    }

    public String baseUrlEnv() {
        return baseUrlEnv;
    }

    /** Default per-attempt timeout: 60 s for hosted APIs, 180 s for Ollama, 120 s for other servers. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    public boolean keyRequired() {
        return keyRequired;
    }

    /** The path added to a base URL that has none: {@code /v1}, {@code /v1beta} or {@code /api}. */
    String apiRootPath() {
        return switch (wire) {
            case OPENAI, ANTHROPIC -> "/v1";
            case GEMINI -> "/v1beta";
            case OLLAMA -> "/api";
        };
    }

    /**
     * The chat model used when none is named: a small, cheap, current model of each provider, good enough to
     * write an answer from given sources. Empty for {@link #COMPATIBLE}, whose server decides what it serves.
     */
    public String defaultChatModel() {
        return switch (this) {
            case OPENAI -> "gpt-4o-mini";
            case GROQ -> "llama-3.3-70b-versatile";
            case XAI -> "grok-3-mini";
            case COMPATIBLE -> "";
            case ANTHROPIC -> "claude-3-5-haiku-latest";
            case GEMINI -> "gemini-2.0-flash";
            case OLLAMA -> "llama3.2";
        };
    }

    /** Looks a provider up by its {@link #id()}, case-insensitively. */
    public static ProviderKind fromId(String name) {
        if (name != null) {
            for (ProviderKind k : values()) {
                if (k.id.equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
        }
        throw new ValidationException("provider", name, "must be one of " + Arrays.stream(values())
                .map(ProviderKind::id).collect(Collectors.joining(", ")));
    }
}
