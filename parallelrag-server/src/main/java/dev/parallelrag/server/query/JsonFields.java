package dev.parallelrag.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of a JSON request body, each with a {@link ValidationException} naming the field when it is
 * missing or of the wrong type. The native endpoints refuse fields they do not know ({@link #allowOnly}), so a
 * misspelt {@code fitler} is an error rather than a filter silently not applied.
 */
final class JsonFields {

    private final JsonNode body;

    private JsonFields(JsonNode body) {
        this.body = body;
    }

    /** The body as a JSON object. */
    static JsonFields parse(ObjectMapper json, byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            throw new ValidationException("body", null, "is not valid JSON (" + firstLine(e.getMessage())
                    + "); send a JSON object with Content-Type: application/json");
        }
        if (node == null || !node.isObject()) {
            throw new ValidationException("body", node == null ? null : node.getNodeType().name().toLowerCase(),
                    "must be a JSON object");
        }
        return new JsonFields(node);
    }

    private static String firstLine(String message) {
        return message == null ? "parse error" : message.lines().findFirst().orElse("parse error");
    }

    /** {@code value} as JSON text, for an event's data. */
    static String write(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a response could not be written as JSON", e);
        }
    }

    JsonNode node() {
        return body;
    }

    /** Refuses a field outside {@code known}, naming it and the fields the endpoint takes. */
    JsonFields allowOnly(Set<String> known) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ValidationException(name, body.get(name).toString(), "is not a field of this request; it takes "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
        return this;
    }

    boolean has(String field) {
        JsonNode v = body.get(field);
        return v != null && !v.isNull();
    }

    String requiredText(String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw new ValidationException(field, null, "is required");
        }
        if (!v.isTextual()) {
            throw new ValidationException(field, v.toString(), "must be a string");
        }
        return v.asText();
    }

    String text(String field, String fallback) {
        return has(field) ? requiredText(field) : fallback;
    }

    int integer(String field, int fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = body.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ValidationException(field, v.toString(), "must be an integer");
        }
        return v.asInt();
    }

    boolean bool(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = body.get(field);
        if (!v.isBoolean()) {
            throw new ValidationException(field, v.toString(), "must be true or false");
        }
        return v.asBoolean();
    }

    SearchMode mode(String field, SearchMode fallback) {
        if (!has(field)) {
            return fallback;
        }
        try {
            return SearchMode.parse(requiredText(field));
        } catch (ValidationException e) {
            throw new ValidationException(field, body.get(field).asText(), e.rule());
        }
    }

    /**
     * The {@code filter} object: each key a metadata key or a built-in field ({@code $source}, ...), each value a
     * string or a non-empty array of strings; a chunk must match every key, and one of its values.
     */
    MetadataFilter filter(String field) {
        if (!has(field)) {
            return MetadataFilter.all();
        }
        JsonNode f = body.get(field);
        if (!f.isObject()) {
            throw new ValidationException(field, f.toString(), "must be an object of field: value or field: [values],"
                    + " e.g. {\"$source\": \"docs/guide.md\"}");
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                values.add(v.asText());
            } else if (v.isArray() && !v.isEmpty()) {
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw new ValidationException(field + "." + e.getKey(), v.toString(), "must hold strings only");
                    }
                    values.add(item.asText());
                }
            } else {
                throw new ValidationException(field + "." + e.getKey(), v.toString(),
                        "must be a string or a non-empty array of strings");
            }
            fields.put(e.getKey(), values);
        }
        return MetadataFilter.matching(fields);
    }
}
