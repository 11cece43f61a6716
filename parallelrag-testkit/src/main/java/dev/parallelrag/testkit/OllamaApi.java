package dev.parallelrag.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama API: {@code POST /api/chat} (streams NDJSON unless {@code "stream": false}), {@code POST /api/embed}
 * ({@code input} string or array, answers {@code "embeddings"}) and the older {@code POST /api/embeddings}
 * ({@code prompt}, answers {@code "embedding"}). No authentication, like a local Ollama.
 */
final class OllamaApi extends ProviderApi {

    static final String CHAT = "/api/chat";
    static final String EMBED = "/api/embed";
    static final String EMBEDDINGS_LEGACY = "/api/embeddings";

    @Override
    String name() {
        return "ollama";
    }

    @Override
    boolean serves(String path) {
        return path.equals(CHAT) || path.equals(EMBED) || path.equals(EMBEDDINGS_LEGACY);
    }

    @Override
    void authenticate(Incoming in) {
        // a local Ollama has no authentication
    }

    @Override
    Calls.Call parse(Incoming in) throws ApiError {
        JsonNode body = in.body();
        String model = requireText(body, "model");
        int dims = optionalPositiveInt(body, "dimensions");
        int dimension = dims > 0 ? dims : in.defaultDimension();
        if (in.path().equals(EMBED)) {
            return new Calls.Embed(model, stringOrArray(body.get("input"), "input"), dimension, false);
        }
        if (in.path().equals(EMBEDDINGS_LEGACY)) {
            JsonNode prompt = body.get("prompt");
            if (prompt == null || !prompt.isTextual()) {
                throw ApiError.badRequest("prompt is required");
            }
            return new Calls.Embed(model, List.of(prompt.asText()), dimension, false);
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("messages is required and must be a non-empty array");
        }
        List<String> texts = new ArrayList<>();
        String lastUser = null;
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!List.of("system", "user", "assistant", "tool").contains(role)) {
                throw ApiError.badRequest("invalid role: " + m.get("role"));
            }
            String text = m.path("content").asText("");
            texts.add(text);
            if (role.equals("user")) {
                lastUser = text;
            }
        }
        JsonNode options = body.path("options");
        int numPredict = options.path("num_predict").asInt(0);
        if (options.isObject()) {
            checkTemperature(options, "temperature", 2.0);
        }
        return new Calls.Chat(model, texts, lastUser != null ? lastUser : texts.get(texts.size() - 1),
                Math.max(0, numPredict), optionalBoolean(body, "stream", true), true);
    }

    @Override
    Reply chat(Calls.Chat call, Incoming in, boolean noChoices) {
        String reason = call.truncated() ? "length" : "stop";
        if (!call.stream()) {
            ObjectNode root = head(call);
            if (!noChoices) {
                root.putObject("message").put("role", "assistant").put("content", call.text());
            }
            finish(root, call, reason);
            return new Reply.Json(200, write(root));
        }
        List<Reply.Frame> frames = new ArrayList<>();
        if (!noChoices) {
            for (String piece : call.pieces()) {
                ObjectNode line = head(call);
                line.putObject("message").put("role", "assistant").put("content", piece);
                line.put("done", false);
                frames.add(new Reply.Frame("", write(line), "\n"));
            }
        }
        ObjectNode last = head(call);
        last.putObject("message").put("role", "assistant").put("content", "");
        finish(last, call, reason);
        frames.add(new Reply.Frame("", write(last), "\n"));
        return new Reply.Stream("application/x-ndjson", frames);
    }

    private static ObjectNode head(Calls.Chat call) {
        return object().put("model", call.model())
                .put("created_at", OffsetDateTime.now(ZoneOffset.UTC).toString());
    }

    private static void finish(ObjectNode root, Calls.Chat call, String reason) {
        root.put("done", true).put("done_reason", reason).put("total_duration", 1_000_000L)
                .put("load_duration", 1000L).put("prompt_eval_count", call.promptTokens())
                .put("prompt_eval_duration", 1000L).put("eval_count", call.completionTokens())
                .put("eval_duration", 1000L);
    }

    @Override
    Reply embed(Calls.Embed call, Incoming in, List<float[]> vectors) {
        ObjectNode root = object();
        if (in.path().equals(EMBEDDINGS_LEGACY)) {
            float[] v = vectors.size() == 1 ? vectors.get(0) : new float[0];
            root.set("embedding", floats(v));
            return new Reply.Json(200, write(root));
        }
        root.put("model", call.model());
        ArrayNode list = root.putArray("embeddings");
        vectors.forEach(v -> list.add(floats(v)));
        root.put("total_duration", 1_000_000L).put("load_duration", 1000L)
                .put("prompt_eval_count", call.inputTokens());
        return new Reply.Json(200, write(root));
    }

    @Override
    String errorJson(int status, String message) {
        return write(object().put("error", message));
    }
}
