package dev.parallelrag.server.query;

import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.ResultJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI Chat Completions response shapes of one answer: a {@code chat.completion} object, or the
 * {@code chat.completion.chunk}s of a stream. Our additions ride inside OpenAI's envelope where clients ignore what
 * they do not know: {@code citations} (the answer's numbered sources, as {@code /v1/ask} gives them) on the message,
 * and on the final chunk of a stream.
 *
 * @param id      the completion's id, the same on every chunk
 * @param created Unix seconds
 * @param model   the model id answered as
 */
record ChatCompletionJson(String id, long created, String model) {

    /** The whole answer as a {@code chat.completion}. */
    Map<String, Object> completion(Answer answer) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", answer.text());
        message.put("refusal", null);
        message.put("citations", ResultJson.citations(answer.citations()));
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason(answer));
        Map<String, Object> m = envelope("chat.completion");
        m.put("choices", List.of(choice));
        m.put("usage", ResultJson.usage(answer.usage()));
        return m;
    }

    /** The first chunk: the assistant role, no text yet. */
    Map<String, Object> roleChunk(boolean includeUsage) {
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("role", "assistant");
        delta.put("content", "");
        return chunk(delta, null, includeUsage);
    }

    /** A chunk carrying a piece of the answer's text. */
    Map<String, Object> textChunk(String piece, boolean includeUsage) {
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("content", piece);
        return chunk(delta, null, includeUsage);
    }

    /** The final chunk: the {@code finish_reason} and the answer's {@code citations}. */
    Map<String, Object> finalChunk(Answer answer, boolean includeUsage) {
        Map<String, Object> m = chunk(Map.of(), finishReason(answer), includeUsage);
        m.put("citations", ResultJson.citations(answer.citations()));
        return m;
    }

    /** {@code length} when the LLM stopped at the answer's token limit, else {@code stop}. */
    private static String finishReason(Answer answer) {
        return answer.truncated() ? "length" : "stop";
    }

    /** What {@code stream_options.include_usage} asks for last: no choices, and the usage. */
    Map<String, Object> usageChunk(Answer answer) {
        Map<String, Object> m = envelope("chat.completion.chunk");
        m.put("choices", new ArrayList<>());
        m.put("usage", ResultJson.usage(answer.usage()));
        return m;
    }

    private Map<String, Object> chunk(Map<String, Object> delta, String finishReason, boolean includeUsage) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> m = envelope("chat.completion.chunk");
        m.put("choices", List.of(choice));
        if (includeUsage) {
            m.put("usage", null); // as OpenAI does: every chunk but the last has a null usage
        }
        return m;
    }

    private Map<String, Object> envelope(String object) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", object);
        m.put("created", created);
        m.put("model", model);
        m.put("system_fingerprint", null);
        return m;
    }
}
