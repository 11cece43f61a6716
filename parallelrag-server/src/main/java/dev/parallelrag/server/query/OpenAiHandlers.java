package dev.parallelrag.server.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.Embeddings;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Query;
import dev.parallelrag.server.ApiException;
import dev.parallelrag.server.ErrorMapper;
import dev.parallelrag.server.ErrorType;
import dev.parallelrag.server.metrics.GenAiServerMeters;
import dev.parallelrag.server.sse.SseWriter;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The OpenAI-compatible routes, so that the official SDKs, Open WebUI or LibreChat work unchanged:
 * {@code POST /v1/chat/completions} answers the last user message over the index ({@link ChatCompletionRequest},
 * {@link ChatCompletionJson}), {@code GET /v1/models} lists {@value #CHAT_MODEL} and the index's embedder, and
 * {@code POST /v1/embeddings} embeds with that embedder ({@link EmbeddingsRequest}).
 */
final class OpenAiHandlers {

    /** The model id the chat endpoint answers as: the engine's pipeline over the index, with its LLM or without. */
    static final String CHAT_MODEL = "parallelrag";

    private final ParallelRag engine;
    private final ObjectMapper json;
    private final Duration heartbeat;
    private final GenAiServerMeters meters;
    private final long created = Instant.now().getEpochSecond();

    OpenAiHandlers(ParallelRag engine, ObjectMapper json, Duration heartbeat, GenAiServerMeters meters) {
        this.meters = meters;
        this.engine = engine;
        this.json = json;
        this.heartbeat = heartbeat;
    }

    /** A {@code chat.completion}, or with {@code stream: true} its chunks and {@code data: [DONE]}. */
    void chatCompletions(Context ctx) {
        ChatCompletionRequest request = ChatCompletionRequest.read(JsonFields.parse(json, ctx.bodyAsBytes()));
        if (!request.model().equals(CHAT_MODEL)) {
            throw unknownModel(request.model());
        }
        Query question = engine.query(request.question()).maxAnswerTokens(request.maxTokens()).build();
        ChatCompletionJson shape = new ChatCompletionJson("chatcmpl-" + UUID.randomUUID(), Instant.now().getEpochSecond(),
                CHAT_MODEL);
        if (!request.stream()) {
            ctx.json(shape.completion(meters.answered(ctx, () -> engine.ask(question))));
            return;
        }
        boolean usage = request.includeUsage();
        AnswerStream.run(ctx, engine, question, heartbeat, meters, new AnswerStream.Events() {
            private boolean roleSent;

            private void role(SseWriter out) {
                if (!roleSent) {
                    roleSent = true;
                    out.data(JsonFields.write(json, shape.roleChunk(usage)));
                }
            }

            @Override
            public void delta(SseWriter out, String piece) {
                role(out);
                out.data(JsonFields.write(json, shape.textChunk(piece, usage)));
            }

            @Override
            public void answer(SseWriter out, Answer answer) {
                role(out);
                out.data(JsonFields.write(json, shape.finalChunk(answer, usage)));
                if (usage) {
                    out.data(JsonFields.write(json, shape.usageChunk(answer)));
                }
                out.data("[DONE]");
            }

            @Override
            public void error(SseWriter out, RuntimeException error) {
                // OpenAI's SDKs raise an error object met in a stream as the call's error
                out.data(JsonFields.write(json, ErrorMapper.toError(error).body()));
            }
        });
    }

    /** The chat model and the embedder, as OpenAI model objects. */
    void models(Context ctx) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", List.of(model(CHAT_MODEL), model(engine.embedder().modelId())));
        ctx.json(list);
    }

    /** {@code GET /v1/models/{model}}: one of the two, or 404. */
    void model(Context ctx) {
        String id = ctx.pathParam("model");
        if (!id.equals(CHAT_MODEL) && !id.equals(engine.embedder().modelId())) {
            throw unknownModel(id);
        }
        ctx.json(model(id));
    }

    /** The index's embedder in OpenAI's embeddings format. */
    void embeddings(Context ctx) {
        EmbeddingsRequest request = EmbeddingsRequest.read(JsonFields.parse(json, ctx.bodyAsBytes()));
        String served = engine.embedder().modelId();
        if (!request.model().equals(served)) {
            throw unknownModel(request.model());
        }
        Embeddings result = engine.embed(request.texts());
        int dimension = result.vectors().getFirst().length;
        if (request.dimensions() != 0 && request.dimensions() != dimension) {
            throw new ValidationException("dimensions", request.dimensions(), "must be " + dimension + ", the dimension of "
                    + served + ", or left out: vectors are not shortened");
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < result.vectors().size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "embedding");
            item.put("index", i);
            item.put("embedding", request.base64() ? base64(result.vectors().get(i)) : result.vectors().get(i));
            data.add(item);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "list");
        m.put("data", data);
        m.put("model", served);
        m.put("usage", Map.of("prompt_tokens", result.usage().promptTokens(), "total_tokens", result.usage().totalTokens()));
        ctx.json(m);
    }

    private ApiException unknownModel(String id) {
        return new ApiException(404, ErrorType.NOT_FOUND, "model " + id + " is not served here; this server serves "
                + CHAT_MODEL + " (chat) and " + engine.embedder().modelId() + " (embeddings), see GET /v1/models",
                "model", null);
    }

    private Map<String, Object> model(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "parallelrag");
        return m;
    }

    /** Little-endian float32, base64: the {@code encoding_format} the official SDKs ask for. */
    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
