package dev.parallelrag.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.CompletionOptions;

/**
 * What the server takes from an OpenAI Chat Completions request: the question (the text of the last {@code user}
 * message), the model asked for, and whether and how to stream. Other OpenAI fields (temperature, a system
 * message, earlier turns...) are accepted so that any OpenAI client works unchanged, and not applied: the answer is
 * the engine's, written with its own prompt and options. Fields that would change the shape of the answer and
 * cannot be honoured are refused: {@code n} other than 1, {@code tools}, and non-text message parts. A
 * {@code max_completion_tokens} (or the older {@code max_tokens}) limits a generated answer, which then ends with
 * {@code finish_reason: length} when it is cut there.
 *
 * @param model        the model asked for
 * @param question     the last user message's text
 * @param stream       {@code stream: true}
 * @param includeUsage {@code stream_options.include_usage: true}: a usage chunk before {@code [DONE]}
 * @param maxTokens    {@code max_completion_tokens}, else {@code max_tokens}, else 0 (the engine's default)
 */
record ChatCompletionRequest(String model, String question, boolean stream, boolean includeUsage, int maxTokens) {

    static ChatCompletionRequest read(JsonFields body) {
        String model = body.requiredText("model");
        JsonNode messages = body.node().get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new ValidationException("messages", messages == null ? null : messages.toString(),
                    "must be a non-empty array of {role, content} messages");
        }
        int n = body.integer("n", 1);
        if (n != 1) {
            throw new ValidationException("n", n, "must be 1: the server gives one answer per question");
        }
        int maxTokens = 0;
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) { // the newer name wins
            if (body.has(field)) {
                maxTokens = body.integer(field, 0);
                if (maxTokens < 1 || maxTokens > CompletionOptions.MAX_TOKENS_LIMIT) {
                    throw new ValidationException(field, maxTokens, "must be between 1 and "
                            + CompletionOptions.MAX_TOKENS_LIMIT + "; leave it out for the server's default of "
                            + CompletionOptions.DEFAULT_MAX_TOKENS);
                }
            }
        }
        if (body.has("tools") || body.has("functions")) {
            throw new ValidationException(body.has("tools") ? "tools" : "functions", "given",
                    "is not supported: answers come from the index, not from tool calls");
        }
        String question = null;
        for (int i = messages.size() - 1; i >= 0 && question == null; i--) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw new ValidationException("messages[" + i + "]", m.toString(), "must be an object with role and content");
            }
            if ("user".equals(m.path("role").asText())) {
                question = text("messages[" + i + "].content", m.get("content"));
            }
        }
        if (question == null || question.isBlank()) {
            throw new ValidationException("messages", question == null ? "no user message" : "a blank user message",
                    "must end the conversation with a user message holding the question");
        }
        boolean stream = body.bool("stream", false);
        JsonNode options = body.node().get("stream_options");
        boolean includeUsage = false;
        if (options != null && !options.isNull()) {
            JsonNode usage = options.get("include_usage");
            if (!options.isObject() || (usage != null && !usage.isBoolean())) {
                throw new ValidationException("stream_options", options.toString(),
                        "must be an object such as {\"include_usage\": true}");
            }
            if (!stream) {
                throw new ValidationException("stream_options", options.toString(), "is only allowed with stream: true");
            }
            includeUsage = usage != null && usage.asBoolean();
        }
        return new ChatCompletionRequest(model, question, stream, includeUsage, maxTokens);
    }

    /** A message's content: a string, or an array of parts whose text parts are joined. */
    private static String text(String field, JsonNode content) {
        if (content == null || content.isNull()) {
            throw new ValidationException(field, null, "is required for a user message");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new ValidationException(field, content.toString(), "must be a string or an array of text parts");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw new ValidationException(field + "[" + i + "]", part.path("type").asText(""),
                        "must be a text part ({\"type\": \"text\", \"text\": ...}); images and audio are not supported");
            }
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(part.get("text").asText());
        }
        return sb.toString();
    }
}
