package dev.parallelrag.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallelrag.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An OpenAI embeddings request: {@code input} (a string or an array of strings; token arrays are refused, since the
 * engine's embedder takes text), {@code model}, {@code encoding_format} ({@code float}, the default, or {@code base64}:
 * little-endian float32, what the official SDKs ask for), and {@code dimensions}, which must be the embedder's own
 * when given: the server does not shorten vectors. {@code user} is accepted and not used.
 *
 * @param texts      the texts, in order
 * @param model      the model asked for
 * @param base64     whether vectors go as base64
 * @param dimensions the dimensions asked for, 0 when not given
 */
record EmbeddingsRequest(List<String> texts, String model, boolean base64, int dimensions) {

    private static final Set<String> FIELDS = Set.of("input", "model", "encoding_format", "dimensions", "user");

    static EmbeddingsRequest read(JsonFields body) {
        body.allowOnly(FIELDS);
        String model = body.requiredText("model");
        JsonNode input = body.node().get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw new ValidationException("input[" + i + "]", input.get(i).toString(),
                            "must be a string: send text, not token ids");
                }
                texts.add(input.get(i).asText());
            }
        } else {
            throw new ValidationException("input", input == null ? null : input.toString(),
                    "must be a string or an array of strings");
        }
        String format = body.text("encoding_format", "float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw new ValidationException("encoding_format", format, "must be float or base64");
        }
        int dimensions = body.integer("dimensions", 0);
        if (body.has("dimensions") && dimensions < 1) {
            throw new ValidationException("dimensions", dimensions, "must be a positive integer");
        }
        return new EmbeddingsRequest(texts, model, format.equals("base64"), dimensions);
    }
}
