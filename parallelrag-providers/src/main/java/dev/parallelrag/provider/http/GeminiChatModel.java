package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.llm.Role;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.stats.TokenUsage;
import java.util.function.Consumer;

/**
 * Gemini {@code models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}. The key goes in
 * the {@code x-goog-api-key} header, never in the URL.
 */
public final class GeminiChatModel extends RemoteChatModel {

    public GeminiChatModel(ProviderConfig config, String model) {
        super(config, model.strip().startsWith("models/") ? model.strip().substring(7) : model);
    }

    ObjectNode body(ChatRequest request) {
        ObjectNode body = ProviderHttp.object();
        ArrayNode contents = body.putArray("contents");
        for (ChatMessage m : request.conversation()) {
            ObjectNode c = contents.addObject();
            c.put("role", m.role() == Role.ASSISTANT ? "model" : "user");
            c.putArray("parts").addObject().put("text", m.content());
        }
        String system = request.systemPrompt();
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
        }
        ObjectNode gen = body.putObject("generationConfig");
        gen.put("maxOutputTokens", request.options().maxTokens());
        request.options().temperature().ifPresent(t -> gen.put("temperature", t));
        if (!request.options().stop().isEmpty()) {
            ArrayNode stop = gen.putArray("stopSequences");
            request.options().stop().forEach(stop::add);
        }
        return body;
    }

    @Override
    public ChatResult chat(ChatRequest request) {
        JsonNode r = http.postJson("/models/" + model + ":generateContent", body(request));
        JsonNode candidates = r.path("candidates");
        if (!candidates.isArray() || candidates.isEmpty()) {
            throw http.malformed("no candidates in the response", r);
        }
        JsonNode first = candidates.get(0);
        return new ChatResult(parts(first), text(r, "modelVersion").isEmpty() ? model : text(r, "modelVersion"),
                text(r, "responseId"), text(first, "finishReason"), usage(r.path("usageMetadata")));
    }

    private static String parts(JsonNode candidate) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : candidate.path("content").path("parts")) {
            sb.append(text(part, "text"));
        }
        return sb.toString();
    }

    private static TokenUsage usage(JsonNode u) {
        long p = number(u, "promptTokenCount");
        long c = number(u, "candidatesTokenCount");
        long t = number(u, "totalTokenCount");
        return new TokenUsage(p, c, t > 0 ? t : p + c);
    }

    @Override
    public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
        StreamState s = new StreamState(model);
        http.postStream("/models/" + model + ":streamGenerateContent?alt=sse", body(request), line -> {
            JsonNode event = sseData(line);
            if (event == null) {
                return true;
            }
            JsonNode first = event.path("candidates").path(0);
            String piece = parts(first);
            if (!piece.isEmpty()) {
                s.content.append(piece);
                onDelta.accept(piece);
            }
            if (!text(first, "finishReason").isEmpty()) {
                s.finishReason = text(first, "finishReason");
                s.done = true;
            }
            if (event.has("usageMetadata")) {
                s.usage = usage(event.get("usageMetadata"));
            }
            if (!text(event, "responseId").isEmpty()) {
                s.id = text(event, "responseId");
            }
            if (!text(event, "modelVersion").isEmpty()) {
                s.model = text(event, "modelVersion");
            }
            return true;
        });
        if (!s.done) {
            throw new ProviderException(provider() + " stream ended before a finishReason", 200, null, true);
        }
        return s.result();
    }
}
