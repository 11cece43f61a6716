package dev.parallelrag.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One provider's wire format: which paths it serves, how it authenticates, how it parses requests and how
 * it renders answers and errors. Each subclass is written from that provider's public API reference.
 */
abstract class ProviderApi {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the server knows about an incoming request. */
    record Incoming(String path, String query, Map<String, List<String>> headers, JsonNode body, long sequence,
                    int defaultDimension, String expectedKey) {
        Optional<String> header(String lowerName) {
            List<String> v = headers.get(lowerName);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        Optional<String> queryParam(String name) {
            for (String part : query.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).equals(name)) {
                    return Optional.of(java.net.URLDecoder.decode(part.substring(eq + 1),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        }
    }

    abstract String name();

    /** Whether this provider serves {@code path}. */
    abstract boolean serves(String path);

    /** Checks credentials and required headers. */
    abstract void authenticate(Incoming in) throws ApiError;

    /** Parses and validates the request body. */
    abstract Calls.Call parse(Incoming in) throws ApiError;

    /** Renders a chat answer; {@code noChoices} is the wrong-item-count fault. */
    abstract Reply chat(Calls.Chat call, Incoming in, boolean noChoices);

    /** Renders embedding vectors. */
    abstract Reply embed(Calls.Embed call, Incoming in, List<float[]> vectors);

    /** The provider's error document for {@code status}. */
    abstract String errorJson(int status, String message);

    /** Headers sent with a rate-limit 429 besides {@code Retry-After}. */
    Map<String, String> rateLimitHeaders(RequestWindowLimiter.Decision d) {
        return Map.of();
    }

    // ---- helpers shared by the wire formats ----

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of plain nodes", e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode floats(float[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (float f : v) {
            a.add(f);
        }
        return a;
    }

    static String base64(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            buf.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    static String requireText(JsonNode body, String field) throws ApiError {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiError.badRequest("'" + field + "' is required");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiError.badRequest("'" + field + "' must be a non-empty string, got " + n);
        }
        return n.asText();
    }

    /** An optional positive integer field: 0 when absent. */
    static int optionalPositiveInt(JsonNode body, String field) throws ApiError {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
            throw ApiError.badRequest("'" + field + "' must be an integer >= 1, got " + n);
        }
        return n.asInt();
    }

    static void checkTemperature(JsonNode body, String field, double max) throws ApiError {
        JsonNode n = body.get(field);
        if (n != null && !n.isNull() && (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > max)) {
            throw ApiError.badRequest("'" + field + "' must be a number in 0.." + max + ", got " + n);
        }
    }

    static boolean optionalBoolean(JsonNode body, String field, boolean dflt) throws ApiError {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw ApiError.badRequest("'" + field + "' must be a boolean, got " + n);
        }
        return n.asBoolean();
    }

    /** Texts of an input that is a string or an array of strings ({@code field} names it in errors). */
    static List<String> stringOrArray(JsonNode n, String field) throws ApiError {
        if (n == null || n.isNull()) {
            throw ApiError.badRequest("'" + field + "' is required");
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray() || n.isEmpty()) {
            throw ApiError.badRequest("'" + field + "' must be a string or a non-empty array of strings");
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw ApiError.badRequest("'" + field + "[" + out.size() + "]' must be a string, got " + item);
            }
            out.add(item.asText());
        }
        return out;
    }

    /** Go-style duration as in OpenAI's x-ratelimit-reset-* headers: "20ms", "1.5s", "6m0s". */
    static String goDuration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + "ms";
        }
        long minutes = ms / 60_000;
        double seconds = (ms % 60_000) / 1000.0;
        String s = seconds == Math.floor(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
        return minutes > 0 ? minutes + "m" + s + "s" : s + "s";
    }

    static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
