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

/** Anthropic Messages API ({@code POST /v1/messages}), plain and streamed (server-sent events). */
public final class AnthropicChatModel extends RemoteChatModel {

    public AnthropicChatModel(ProviderConfig config, String model) {
        super(config, model);
    }

    ObjectNode body(ChatRequest request, boolean stream) {
        ObjectNode body = ProviderHttp.object();
        body.put("model", model);
        body.put("max_tokens", request.options().maxTokens());
        String system = request.systemPrompt();
        if (!system.isEmpty()) {
            body.put("system", system);
        }
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.conversation()) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        request.options().temperature().ifPresent(t -> body.put("temperature", Math.min(1.0, t))); // Anthropic caps at 1
        if (!request.options().stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            request.options().stop().forEach(stop::add);
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    @Override
    public ChatResult chat(ChatRequest request) {
        JsonNode r = http.postJson("/messages", body(request, false));
        JsonNode content = r.path("content");
        if (!content.isArray()) {
            throw http.malformed("no content array in the message", r);
        }
        StringBuilder text = new StringBuilder();
        boolean anyText = false;
        for (JsonNode block : content) {
            if ("text".equals(text(block, "type"))) {
                text.append(text(block, "text"));
                anyText = true;
            }
        }
        JsonNode u = r.path("usage");
        if (!anyText && number(u, "output_tokens") > 0) {
            throw http.malformed("the message reports output tokens but has no text content", r);
        }
        return new ChatResult(text.toString(), text(r, "model").isEmpty() ? model : text(r, "model"), text(r, "id"),
                text(r, "stop_reason"), TokenUsage.of(number(u, "input_tokens"), number(u, "output_tokens")));
    }

    @Override
    public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
        StreamState s = new StreamState(model);
        http.postStream("/messages", body(request, true), line -> {
            JsonNode event = sseData(line);
            if (event == null) {
                return true;
            }
            switch (text(event, "type")) {
                case "message_start" -> {
                    JsonNode m = event.path("message");
                    s.id = text(m, "id");
                    if (!text(m, "model").isEmpty()) {
                        s.model = text(m, "model");
                    }
                    s.promptTokens = number(m.path("usage"), "input_tokens");
                }
                case "content_block_delta" -> {
                    String piece = text(event.path("delta"), "text");
                    if (!piece.isEmpty()) {
                        s.content.append(piece);
                        onDelta.accept(piece);
                    }
                }
                case "message_delta" -> {
                    String stop = text(event.path("delta"), "stop_reason");
                    if (!stop.isEmpty()) {
                        s.finishReason = stop;
                    }
                    s.usage = TokenUsage.of(s.promptTokens, number(event.path("usage"), "output_tokens"));
                }
                case "message_stop" -> {
                    s.done = true;
                    return false;
                }
                case "error" -> throw new ProviderException(provider() + " reported an error mid-stream: "
                        + text(event.path("error"), "message"), 200, null, "overloaded_error".equals(
                        text(event.path("error"), "type")));
                default -> {
                    // ping, content_block_start/stop: nothing to do
                }
            }
            return true;
        });
        if (!s.done) {
            throw new ProviderException(provider() + " stream ended before message_stop", 200, null, true);
        }
        if (s.usage.totalTokens() == 0) {
            s.usage = TokenUsage.of(s.promptTokens, 0);
        }
        return s.result();
    }
}
