package dev.parallelrag.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini API: {@code POST /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent} (SSE with
 * {@code ?alt=sse}, else one JSON array), {@code :embedContent} and {@code :batchEmbedContents}; {@code /v1/models/}
 * works too. The key comes in {@code x-goog-api-key} or the {@code key} query parameter; without one the
 * server answers 403 PERMISSION_DENIED, as Google does.
 */
final class GeminiApi extends ProviderApi {

    private static final List<String> PREFIXES = List.of("/v1beta/models/", "/v1/models/");
    private static final List<String> METHODS =
            List.of("generateContent", "streamGenerateContent", "embedContent", "batchEmbedContents");

    @Override
    String name() {
        return "gemini";
    }

    @Override
    boolean serves(String path) {
        return model(path) != null;
    }

    /** The model in the path, or null when the path is not a Gemini model method. */
    private static String model(String path) {
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int colon = rest.lastIndexOf(':');
                if (colon > 0 && METHODS.contains(rest.substring(colon + 1)) && !rest.substring(0, colon).contains("/")) {
                    return rest.substring(0, colon);
                }
            }
        }
        return null;
    }

    private static String method(String path) {
        return path.substring(path.lastIndexOf(':') + 1);
    }

    @Override
    void authenticate(Incoming in) throws ApiError {
        String key = in.header("x-goog-api-key").or(() -> in.queryParam("key")).orElse("");
        if (key.isBlank()) {
            throw new ApiError(403, "unauthorized",
                    "Method doesn't allow unregistered callers (callers without established identity). "
                            + "Please use API Key or other form of API consumer identity to call this API.");
        }
        if (in.expectedKey() != null && !key.equals(in.expectedKey())) {
            throw new ApiError(400, "unauthorized", "API key not valid. Please pass a valid API key.");
        }
    }

    @Override
    Calls.Call parse(Incoming in) throws ApiError {
        String model = model(in.path());
        JsonNode body = in.body();
        return switch (method(in.path())) {
            case "embedContent" -> embedRequest(body, model, in.defaultDimension(), "");
            case "batchEmbedContents" -> {
                JsonNode requests = body.get("requests");
                if (requests == null || !requests.isArray() || requests.isEmpty()) {
                    throw ApiError.badRequest("* BatchEmbedContentsRequest.requests: must be a non-empty list");
                }
                List<String> texts = new ArrayList<>();
                int dims = 0;
                for (JsonNode r : requests) {
                    Calls.Embed one = embedRequest(r, model, in.defaultDimension(), "requests[" + texts.size() + "].");
                    JsonNode m = r.get("model");
                    if (m == null || !m.asText().equals("models/" + model)) {
                        throw ApiError.badRequest("requests[" + texts.size() + "].model must be \"models/" + model
                                + "\" (the model in the URL), got " + m);
                    }
                    texts.add(one.texts().get(0));
                    dims = one.dimension();
                }
                yield new Calls.Embed(model, texts, dims, false);
            }
            default -> chatRequest(body, model, method(in.path()).equals("streamGenerateContent"));
        };
    }

    private static Calls.Embed embedRequest(JsonNode body, String model, int defaultDim, String where)
            throws ApiError {
        JsonNode parts = body.path("content").path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            throw ApiError.badRequest("* " + where + "content.parts: must be a non-empty list");
        }
        int dims = optionalPositiveInt(body, "outputDimensionality");
        return new Calls.Embed(model, List.of(partsText(parts)), dims > 0 ? dims : defaultDim, false);
    }

    private static String partsText(JsonNode parts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            sb.append(p.path("text").asText(""));
        }
        return sb.toString();
    }

    private static Calls.Chat chatRequest(JsonNode body, String model, boolean stream) throws ApiError {
        JsonNode contents = body.get("contents");
        if (contents == null || !contents.isArray() || contents.isEmpty()) {
            throw ApiError.badRequest("* GenerateContentRequest.contents: contents is not specified");
        }
        List<String> texts = new ArrayList<>();
        JsonNode system = body.path("systemInstruction").path("parts");
        if (system.isArray()) {
            texts.add(partsText(system));
        }
        String lastUser = null;
        int i = 0;
        for (JsonNode c : contents) {
            String role = c.path("role").asText("user");
            if (!role.equals("user") && !role.equals("model")) {
                throw ApiError.badRequest("* GenerateContentRequest.contents[" + i + "].role: must be 'user' or "
                        + "'model', got '" + role + "'");
            }
            JsonNode parts = c.path("parts");
            if (!parts.isArray() || parts.isEmpty()) {
                throw ApiError.badRequest("* GenerateContentRequest.contents[" + i + "].parts: contents.parts must "
                        + "not be empty.");
            }
            String text = partsText(parts);
            texts.add(text);
            if (role.equals("user")) {
                lastUser = text;
            }
            i++;
        }
        JsonNode config = body.path("generationConfig");
        int maxTokens = config.isObject() ? optionalPositiveInt(config, "maxOutputTokens") : 0;
        if (config.isObject()) {
            checkTemperature(config, "temperature", 2.0);
        }
        return new Calls.Chat(model, texts, lastUser != null ? lastUser : texts.get(texts.size() - 1), maxTokens,
                stream, true);
    }

    @Override
    Reply chat(Calls.Chat call, Incoming in, boolean noChoices) {
        String finish = call.truncated() ? "MAX_TOKENS" : "STOP";
        if (!call.stream()) {
            return new Reply.Json(200, write(response(call, in, noChoices ? null : call.text(), finish, true)));
        }
        List<String> pieces = noChoices ? List.of() : call.pieces();
        List<String> chunks = new ArrayList<>();
        if (pieces.isEmpty()) {
            chunks.add(write(response(call, in, null, finish, true)));
        }
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            chunks.add(write(response(call, in, pieces.get(i), last ? finish : null, last)));
        }
        boolean sse = in.queryParam("alt").map("sse"::equals).orElse(false);
        List<Reply.Frame> frames = new ArrayList<>();
        if (sse) {
            chunks.forEach(c -> frames.add(new Reply.Frame("data: ", c, "\r\n\r\n")));
            return new Reply.Stream("text/event-stream", frames);
        }
        for (int i = 0; i < chunks.size(); i++) {
            frames.add(new Reply.Frame(i == 0 ? "[" : ",\r\n", chunks.get(i), i == chunks.size() - 1 ? "]" : ""));
        }
        return new Reply.Stream("application/json; charset=UTF-8", frames);
    }

    private static ObjectNode response(Calls.Chat call, Incoming in, String text, String finish, boolean fullUsage) {
        ObjectNode root = object();
        ArrayNode candidates = root.putArray("candidates");
        if (text != null) {
            ObjectNode cand = candidates.addObject();
            ObjectNode content = cand.putObject("content");
            content.putArray("parts").addObject().put("text", text);
            content.put("role", "model");
            if (finish != null) {
                cand.put("finishReason", finish);
            }
            cand.put("index", 0);
        }
        ObjectNode usage = root.putObject("usageMetadata").put("promptTokenCount", call.promptTokens());
        if (fullUsage) {
            usage.put("candidatesTokenCount", call.completionTokens())
                    .put("totalTokenCount", call.promptTokens() + call.completionTokens());
        } else {
            usage.put("totalTokenCount", call.promptTokens());
        }
        root.put("modelVersion", call.model());
        root.put("responseId", "fake" + in.sequence());
        return root;
    }

    @Override
    Reply embed(Calls.Embed call, Incoming in, List<float[]> vectors) {
        ObjectNode root = object();
        if (method(in.path()).equals("embedContent")) {
            // A single-vector response cannot have a wrong item count; that fault sends an empty vector instead.
            float[] v = vectors.size() == call.texts().size() ? vectors.get(0) : new float[0];
            root.putObject("embedding").set("values", floats(v));
        } else {
            ArrayNode list = root.putArray("embeddings");
            vectors.forEach(v -> list.addObject().set("values", floats(v)));
        }
        return new Reply.Json(200, write(root));
    }

    @Override
    String errorJson(int status, String message) {
        String state = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 500 -> "INTERNAL";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "UNKNOWN";
        };
        ObjectNode root = object();
        root.putObject("error").put("code", status).put("message", message).put("status", state);
        return write(root);
    }
}
