package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.stats.TokenUsage;
import java.util.function.Consumer;

/** Ollama chat ({@code POST /api/chat}), plain and streamed (one JSON object per line). */
public final class OllamaChatModel extends RemoteChatModel {

    public OllamaChatModel(ProviderConfig config, String model) {
        super(config, model);
    }

    ObjectNode body(ChatRequest request, boolean stream) {
        ObjectNode body = ProviderHttp.object();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        String system = request.systemPrompt();
        if (!system.isEmpty()) {
            messages.addObject().put("role", "system").put("content", system);
        }
        for (ChatMessage m : request.conversation()) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        body.put("stream", stream);
        ObjectNode options = body.putObject("options");
        options.put("num_predict", request.options().maxTokens());
        request.options().temperature().ifPresent(t -> options.put("temperature", t));
        if (!request.options().stop().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            request.options().stop().forEach(stop::add);
        }
        return body;
    }

    @Override
    public ChatResult chat(ChatRequest request) {
        JsonNode r = http.postJson("/chat", body(request, false));
        if (!r.path("message").has("content")) {
            throw http.malformed("no message content in the chat response", r);
        }
        return new ChatResult(text(r.path("message"), "content"), text(r, "model").isEmpty() ? model : text(r, "model"),
                text(r, "created_at"), text(r, "done_reason"), usage(r));
    }

    private static TokenUsage usage(JsonNode r) {
        return TokenUsage.of(number(r, "prompt_eval_count"), number(r, "eval_count"));
    }

    @Override
    public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
        StreamState s = new StreamState(model);
        http.postStream("/chat", body(request, true), line -> {
            if (line.isBlank()) {
                return true;
            }
            JsonNode event = parseLine(line);
            if (event.has("error")) {
                throw new ProviderException(provider() + " reported an error mid-stream: " + text(event, "error"),
                        200, null, false);
            }
            String piece = text(event.path("message"), "content");
            if (!piece.isEmpty()) {
                s.content.append(piece);
                onDelta.accept(piece);
            }
            if (!text(event, "model").isEmpty()) {
                s.model = text(event, "model");
            }
            if (event.path("done").asBoolean(false)) {
                s.done = true;
                s.finishReason = text(event, "done_reason");
                s.id = text(event, "created_at");
                s.usage = usage(event);
                return false;
            }
            return true;
        });
        if (!s.done) {
            throw new ProviderException(provider() + " stream ended before the final \"done\": true line", 200, null, true);
        }
        return s.result();
    }
}
