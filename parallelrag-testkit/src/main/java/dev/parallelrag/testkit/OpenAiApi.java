package dev.parallelrag.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI-compatible API (also Groq, xAI, vLLM...): {@code POST /v1/chat/completions} and {@code POST /v1/embeddings}
 * with {@code Authorization: Bearer <key>}. The base URL a client should use is {@code <server>/v1}.
 */
final class OpenAiApi extends ProviderApi {

    static final String CHAT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";

    @Override
    String name() {
        return "openai";
    }

    @Override
    boolean serves(String path) {
        return path.equals(CHAT) || path.equals(EMBEDDINGS);
    }

    @Override
    void authenticate(Incoming in) throws ApiError {
        String auth = in.header("authorization").orElse("");
        if (!auth.startsWith("Bearer ") || auth.substring(7).isBlank()) {
            throw ApiError.unauthorized("You didn't provide an API key. You need to provide your API key in an "
                    + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }
        if (in.expectedKey() != null && !auth.substring(7).equals(in.expectedKey())) {
            throw ApiError.unauthorized("Incorrect API key provided.");
        }
    }

    @Override
    Calls.Call parse(Incoming in) throws ApiError {
        JsonNode body = in.body();
        String model = requireText(body, "model");
        if (in.path().equals(EMBEDDINGS)) {
            List<String> texts = stringOrArray(body.get("input"), "input");
            int dims = optionalPositiveInt(body, "dimensions");
            JsonNode enc = body.get("encoding_format");
            String format = enc == null || enc.isNull() ? "float" : enc.asText();
            if (!format.equals("float") && !format.equals("base64")) {
                throw ApiError.badRequest("'encoding_format' must be 'float' or 'base64', got " + enc);
            }
            return new Calls.Embed(model, texts, dims > 0 ? dims : in.defaultDimension(), format.equals("base64"));
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("'messages' must be a non-empty array");
        }
        List<String> texts = new ArrayList<>();
        String lastUser = null;
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!List.of("system", "developer", "user", "assistant", "tool").contains(role)) {
                throw ApiError.badRequest("messages[" + texts.size() + "].role must be one of system, developer, "
                        + "user, assistant, tool; got " + m.get("role"));
            }
            String text = contentText(m.get("content"), texts.size());
            texts.add(text);
            if (role.equals("user")) {
                lastUser = text;
            }
        }
        int maxTokens = optionalPositiveInt(body, "max_completion_tokens");
        if (maxTokens == 0) {
            maxTokens = optionalPositiveInt(body, "max_tokens");
        }
        checkTemperature(body, "temperature", 2.0);
        boolean stream = optionalBoolean(body, "stream", false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new Calls.Chat(model, texts, lastUser != null ? lastUser : texts.get(texts.size() - 1), maxTokens,
                stream, includeUsage);
    }

    private static String contentText(JsonNode content, int index) throws ApiError {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text")) {
                    sb.append(part.path("text").asText());
                }
            }
            return sb.toString();
        }
        throw ApiError.badRequest("messages[" + index + "].content must be a string or an array of parts");
    }

    @Override
    Reply chat(Calls.Chat call, Incoming in, boolean noChoices) {
        String id = "chatcmpl-fake" + in.sequence();
        long created = Instant.now().getEpochSecond();
        String finish = call.truncated() ? "length" : "stop";
        if (!call.stream()) {
            ObjectNode root = object().put("id", id).put("object", "chat.completion").put("created", created)
                    .put("model", call.model());
            ArrayNode choices = root.putArray("choices");
            if (!noChoices) {
                ObjectNode choice = choices.addObject().put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", call.text())
                        .putNull("refusal");
                choice.putNull("logprobs");
                choice.put("finish_reason", finish);
            }
            root.set("usage", usage(call));
            root.put("system_fingerprint", "fp_testkit");
            return new Reply.Json(200, write(root), headers("x-request-id", "req_fake" + in.sequence()));
        }
        List<Reply.Frame> frames = new ArrayList<>();
        if (!noChoices) {
            frames.add(Reply.Frame.sse(chunk(call, id, created, delta("role", "assistant", "content", ""), null)));
            for (String piece : call.pieces()) {
                frames.add(Reply.Frame.sse(chunk(call, id, created, delta("content", piece), null)));
            }
            frames.add(Reply.Frame.sse(chunk(call, id, created, object(), finish)));
        }
        if (call.includeUsage()) {
            ObjectNode last = base(id, created, call);
            last.putArray("choices");
            last.set("usage", usage(call));
            frames.add(Reply.Frame.sse(write(last)));
        }
        frames.add(new Reply.Frame("data: ", "[DONE]", "\n\n"));
        return new Reply.Stream("text/event-stream; charset=utf-8", frames);
    }

    private static ObjectNode delta(String... kv) {
        ObjectNode d = object();
        for (int i = 0; i < kv.length; i += 2) {
            d.put(kv[i], kv[i + 1]);
        }
        return d;
    }

    private static ObjectNode base(String id, long created, Calls.Chat call) {
        return object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", call.model()).put("system_fingerprint", "fp_testkit");
    }

    private static String chunk(Calls.Chat call, String id, long created, ObjectNode delta, String finish) {
        ObjectNode root = base(id, created, call);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (call.includeUsage()) {
            root.putNull("usage");
        }
        return write(root);
    }

    private static ObjectNode usage(Calls.Chat call) {
        return object().put("prompt_tokens", call.promptTokens()).put("completion_tokens", call.completionTokens())
                .put("total_tokens", call.promptTokens() + call.completionTokens());
    }

    @Override
    Reply embed(Calls.Embed call, Incoming in, List<float[]> vectors) {
        ObjectNode root = object().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (call.base64()) {
                item.put("embedding", base64(vectors.get(i)));
            } else {
                item.set("embedding", floats(vectors.get(i)));
            }
        }
        root.put("model", call.model());
        root.putObject("usage").put("prompt_tokens", call.inputTokens()).put("total_tokens", call.inputTokens());
        return new Reply.Json(200, write(root), headers("x-request-id", "req_fake" + in.sequence()));
    }

    @Override
    String errorJson(int status, String message) {
        String type = switch (status) {
            case 429 -> "requests";
            case 401 -> "invalid_request_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
        String code = switch (status) {
            case 401 -> "invalid_api_key";
            case 404 -> "model_not_found";
            case 429 -> "rate_limit_exceeded";
            default -> null;
        };
        ObjectNode err = object();
        ObjectNode e = err.putObject("error").put("message", message).put("type", type);
        e.putNull("param");
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return write(err);
    }

    @Override
    Map<String, String> rateLimitHeaders(RequestWindowLimiter.Decision d) {
        String kind = d.limitName();
        return headers("x-ratelimit-limit-" + kind, String.valueOf(d.limit()),
                "x-ratelimit-remaining-" + kind, "0",
                "x-ratelimit-reset-" + kind, goDuration(d.retryAfter()),
                "retry-after-ms", String.valueOf(Math.max(1, d.retryAfter().toMillis())));
    }
}
