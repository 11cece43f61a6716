package dev.parallelrag.server.query;

import dev.parallelrag.server.Routes;
import dev.parallelrag.server.ServerContext;
import dev.parallelrag.server.ServerRoutes;
import dev.parallelrag.server.metrics.GenAiServerMeters;

/**
 * The query side of the HTTP API: the native {@code POST /v1/search} and {@code POST /v1/ask}
 * ({@link NativeQueryHandlers}) and the OpenAI-compatible {@code POST /v1/chat/completions}, {@code GET /v1/models}
 * and {@code POST /v1/embeddings} ({@link OpenAiHandlers}). Every answer is the engine's.
 */
public final class QueryRoutes implements ServerRoutes {

    @Override
    public void register(Routes routes, ServerContext context) {
        GenAiServerMeters meters = new GenAiServerMeters(context.meterRegistry(), OpenAiHandlers.CHAT_MODEL);
        NativeQueryHandlers query = new NativeQueryHandlers(context.engine(), context.json(), context.config().sseHeartbeat(),
                meters);
        OpenAiHandlers openAi = new OpenAiHandlers(context.engine(), context.json(), context.config().sseHeartbeat(),
                meters);
        routes.post("/v1/search", query::search)
                .post("/v1/ask", query::ask)
                .post("/v1/chat/completions", openAi::chatCompletions)
                .get("/v1/models", openAi::models)
                .get("/v1/models/{model}", openAi::model)
                .post("/v1/embeddings", openAi::embeddings);
    }
}
