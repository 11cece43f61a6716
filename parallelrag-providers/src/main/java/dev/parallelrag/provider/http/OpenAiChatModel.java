package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.stats.TokenUsage;
import java.util.function.Consumer;

/** OpenAI chat completions ({@code POST /chat/completions}), also for Groq, xAI and compatible servers. */
public final class OpenAiChatModel extends RemoteChatModel {

    public OpenAiChatModel(ProviderConfig config, String model) {
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
        body.put("max_tokens", request.options().maxTokens());
        request.options().temperature().ifPresent(t -> body.put("temperature", t));
        if (!request.options().stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.options().stop().forEach(stop::add);
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    @Override
    public ChatResult chat(ChatRequest request) {
        JsonNode r = http.postJson("/chat/completions", body(request, false));
        JsonNode choices = r.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw http.malformed("no choices in the chat completion", r);
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.path("message");
        if (!message.has("content")) {
            throw http.malformed("the first choice has no message content", r);
        }
        return new ChatResult(text(message, "content"), text(r, "model").isEmpty() ? model : text(r, "model"),
                text(r, "id"), text(choice, "finish_reason"), usage(r.path("usage")));
    }

    static TokenUsage usage(JsonNode u) {
        long p = number(u, "prompt_tokens");
        long c = number(u, "completion_tokens");
        long t = number(u, "total_tokens");
        return new TokenUsage(p, c, t > 0 ? t : p + c);
    }

    @Override
    public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
        StreamState s = new StreamState(model);
        http.postStream("/chat/completions", body(request, true), line -> {
            if (line.strip().equals("data: [DONE]") || line.strip().equals("data:[DONE]")) {
                s.done = true;
                return false;
            }
            JsonNode event = sseData(line);
            if (event == null) {
                return true;
            }
            if (event.has("error")) {
                throw http.malformed("error event in stream: " + text(event.get("error"), "message"), event);
            }
            if (!text(event, "id").isEmpty()) {
                s.id = text(event, "id");
            }
            if (!text(event, "model").isEmpty()) {
                s.model = text(event, "model");
            }
            JsonNode choice = event.path("choices").path(0);
            String piece = text(choice.path("delta"), "content");
            if (!piece.isEmpty()) {
                s.content.append(piece);
                onDelta.accept(piece);
            }
            if (!text(choice, "finish_reason").isEmpty()) {
                s.finishReason = text(choice, "finish_reason");
            }
            if (event.hasNonNull("usage")) {
                s.usage = usage(event.get("usage"));
            }
            return true;
        });
        if (!s.done && s.finishReason.isEmpty()) {
            throw new dev.parallelrag.error.ProviderException(provider()
                    + " stream ended before completion (no finish reason and no [DONE] marker)", 200, null, true);
        }
        return s.result();
    }
}
