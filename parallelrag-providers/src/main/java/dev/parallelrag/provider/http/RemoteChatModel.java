package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.resilience.ResilienceDefaults;
import java.time.Duration;

/** What the four provider chat models share: the HTTP transport, the model name, JSON helpers. */
abstract class RemoteChatModel implements ChatModel, ResilienceDefaults {

    protected final ProviderHttp http;
    protected final String model;

    RemoteChatModel(ProviderConfig config, String model) {
        if (model == null || model.isBlank()) {
            throw new ValidationException("model", model, "must be set for provider " + config.kind().id()
                    + " (e.g. " + exampleModel(config.kind()) + ")");
        }
        this.http = new ProviderHttp(config);
        this.model = model.strip();
    }

    static String exampleModel(ProviderKind kind) {
        return kind.defaultChatModel().isEmpty() ? "the model name your server serves" : kind.defaultChatModel();
    }

    @Override
    public String provider() {
        return http.provider();
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String endpoint() {
        return provider() + " chat " + model + " @ " + http.config().safeBaseUrl();
    }

    /** The provider's attempt timeout (60 s hosted, 180 s Ollama, 120 s other), used when a client sets none. */
    @Override
    public Duration defaultAttemptTimeout() {
        return http.config().kind().attemptTimeout();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static long number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.canConvertToLong() ? 0 : v.asLong();
    }

    /** The JSON of one SSE {@code data:} line, or null for other lines and the {@code [DONE]} marker. */
    JsonNode sseData(String line) {
        if (!line.startsWith("data:")) {
            return null;
        }
        String data = line.substring(5).strip();
        if (data.isEmpty() || data.equals("[DONE]")) {
            return null;
        }
        return parseLine(data);
    }

    JsonNode parseLine(String data) {
        try {
            return ProviderHttp.JSON.readTree(data);
        } catch (java.io.IOException e) {
            throw new dev.parallelrag.error.ProviderException(provider()
                    + " sent a stream event that is not valid JSON; the stream was abandoned", 200, http.redact(data), false);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + model + " @ " + http.config().safeBaseUrl() + "]";
    }
}
