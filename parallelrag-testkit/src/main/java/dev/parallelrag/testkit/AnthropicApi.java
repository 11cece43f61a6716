package dev.parallelrag.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages API: {@code POST /v1/messages} with {@code x-api-key} and {@code anthropic-version} headers;
 * {@code max_tokens} is required. Streams are SSE with named events (message_start, content_block_start, ping,
 * content_block_delta, content_block_stop, message_delta carrying the output usage, message_stop).
 */
final class AnthropicApi extends ProviderApi {

    static final String MESSAGES = "/v1/messages";

    @Override
    String name() {
        return "anthropic";
    }

    @Override
    boolean serves(String path) {
        return path.equals(MESSAGES);
    }

    @Override
    void authenticate(Incoming in) throws ApiError {
        String key = in.header("x-api-key").orElse("");
        if (key.isBlank()) {
            throw ApiError.unauthorized("x-api-key header is required");
        }
        if (in.expectedKey() != null && !key.equals(in.expectedKey())) {
            throw ApiError.unauthorized("invalid x-api-key");
        }
        if (in.header("anthropic-version").isEmpty()) {
            throw ApiError.badRequest("anthropic-version: header is required");
        }
    }

    @Override
    Calls.Call parse(Incoming in) throws ApiError {
        JsonNode body = in.body();
        String model = requireText(body, "model");
        int maxTokens = optionalPositiveInt(body, "max_tokens");
        if (maxTokens == 0) {
            throw ApiError.badRequest("max_tokens: Field required");
        }
        checkTemperature(body, "temperature", 1.0);
        List<String> texts = new ArrayList<>();
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
            texts.add(blocksText(system, "system"));
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("messages: must be a non-empty list");
        }
        String lastUser = null;
        int i = 0;
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw ApiError.badRequest("messages." + i + ".role: Input should be 'user' or 'assistant'");
            }
            String text = blocksText(m.get("content"), "messages." + i + ".content");
            texts.add(text);
            if (role.equals("user")) {
                lastUser = text;
            }
            i++;
        }
        if (lastUser == null) {
            throw ApiError.badRequest("messages: the first message must use the \"user\" role");
        }
        return new Calls.Chat(model, texts, lastUser, maxTokens, optionalBoolean(body, "stream", false), true);
    }

    private static String blocksText(JsonNode content, String field) throws ApiError {
        if (content == null || content.isNull()) {
            throw ApiError.badRequest(field + ": Field required");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw ApiError.badRequest(field + ": must be a string or a list of content blocks");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : content) {
            if (block.path("type").asText().equals("text")) {
                sb.append(block.path("text").asText());
            }
        }
        return sb.toString();
    }

    @Override
    Reply chat(Calls.Chat call, Incoming in, boolean noChoices) {
        String id = "msg_fake" + in.sequence();
        String stop = call.truncated() ? "max_tokens" : "end_turn";
        if (!call.stream()) {
            ObjectNode root = message(call, id);
            ArrayNode content = root.putArray("content");
            if (!noChoices) {
                content.addObject().put("type", "text").put("text", call.text());
            }
            root.put("stop_reason", stop);
            root.putNull("stop_sequence");
            root.putObject("usage").put("input_tokens", call.promptTokens())
                    .put("output_tokens", call.completionTokens());
            return new Reply.Json(200, write(root), headers("request-id", "req_fake" + in.sequence()));
        }
        List<Reply.Frame> frames = new ArrayList<>();
        ObjectNode start = message(call, id);
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        start.putObject("usage").put("input_tokens", call.promptTokens()).put("output_tokens", 1);
        ObjectNode startEvent = object().put("type", "message_start");
        startEvent.set("message", start);
        frames.add(Reply.Frame.sse("message_start", write(startEvent)));
        if (!noChoices) {
            ObjectNode blockStart = object().put("type", "content_block_start").put("index", 0);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            frames.add(Reply.Frame.sse("content_block_start", write(blockStart)));
            frames.add(Reply.Frame.sse("ping", "{\"type\": \"ping\"}"));
            for (String piece : call.pieces()) {
                ObjectNode delta = object().put("type", "content_block_delta").put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                frames.add(Reply.Frame.sse("content_block_delta", write(delta)));
            }
            frames.add(Reply.Frame.sse("content_block_stop",
                    write(object().put("type", "content_block_stop").put("index", 0))));
        }
        ObjectNode messageDelta = object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", call.completionTokens());
        frames.add(Reply.Frame.sse("message_delta", write(messageDelta)));
        frames.add(Reply.Frame.sse("message_stop", write(object().put("type", "message_stop"))));
        return new Reply.Stream("text/event-stream; charset=utf-8", frames);
    }

    private static ObjectNode message(Calls.Chat call, String id) {
        return object().put("id", id).put("type", "message").put("role", "assistant").put("model", call.model());
    }

    @Override
    Reply embed(Calls.Embed call, Incoming in, List<float[]> vectors) {
        throw new IllegalStateException("Anthropic has no embeddings endpoint");
    }

    @Override
    String errorJson(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
        ObjectNode root = object().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return write(root);
    }

    @Override
    Map<String, String> rateLimitHeaders(RequestWindowLimiter.Decision d) {
        String kind = d.limitName().equals("tokens") ? "tokens" : "requests";
        return headers("anthropic-ratelimit-" + kind + "-limit", String.valueOf(d.limit()),
                "anthropic-ratelimit-" + kind + "-remaining", "0",
                "anthropic-ratelimit-" + kind + "-reset",
                java.time.Instant.now().plus(d.retryAfter()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString());
    }
}
