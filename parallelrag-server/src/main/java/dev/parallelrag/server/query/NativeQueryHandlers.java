package dev.parallelrag.server.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Query;
import dev.parallelrag.pipeline.ResultJson;
import dev.parallelrag.server.ErrorMapper;
import dev.parallelrag.server.metrics.GenAiServerMeters;
import dev.parallelrag.server.sse.SseWriter;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/search} and {@code POST /v1/ask}: the JSON of {@code search --json} and {@code ask --json}
 * ({@link ResultJson}), so a script moves between the CLI and the server unchanged; an ask also as an event stream.
 */
final class NativeQueryHandlers {

    private static final Set<String> SEARCH_FIELDS = Set.of("query", "k", "mode", "filter");
    private static final Set<String> ASK_FIELDS = Set.of("question", "k", "mode", "filter", "stream");

    private final ParallelRag engine;
    private final ObjectMapper json;
    private final Duration heartbeat;
    private final GenAiServerMeters meters;

    NativeQueryHandlers(ParallelRag engine, ObjectMapper json, Duration heartbeat, GenAiServerMeters meters) {
        this.meters = meters;
        this.engine = engine;
        this.json = json;
        this.heartbeat = heartbeat;
    }

    /** {@code {"hits": [...]}}, each hit as {@code search --json} prints it. */
    void search(Context ctx) {
        JsonFields body = JsonFields.parse(json, ctx.bodyAsBytes()).allowOnly(SEARCH_FIELDS);
        ctx.json(Map.of("hits", ResultJson.hits(engine.search(query(body, "query")))));
    }

    /** The answer as {@code ask --json} prints it; with {@code stream: true}, {@code delta} events then {@code answer}. */
    void ask(Context ctx) {
        JsonFields body = JsonFields.parse(json, ctx.bodyAsBytes()).allowOnly(ASK_FIELDS);
        Query question = query(body, "question");
        if (!body.bool("stream", false)) {
            ctx.json(ResultJson.answer(meters.answered(ctx, () -> engine.ask(question))));
            return;
        }
        AnswerStream.run(ctx, engine, question, heartbeat, meters, new AnswerStream.Events() {
            @Override
            public void delta(SseWriter out, String piece) {
                out.event("delta", JsonFields.write(json, Map.of("text", piece)));
            }

            @Override
            public void answer(SseWriter out, Answer answer) {
                out.event("answer", JsonFields.write(json, ResultJson.answer(answer)));
            }

            @Override
            public void error(SseWriter out, RuntimeException error) {
                out.event("error", JsonFields.write(json, ErrorMapper.toError(error).body()));
            }
        });
    }

    /** The request's query: its text, and k, mode and filter where given, else the engine's. */
    private Query query(JsonFields body, String textField) {
        Query.Builder q = engine.query(body.requiredText(textField));
        if (body.has("k")) {
            q.k(body.integer("k", 0));
        }
        if (body.has("mode")) {
            q.mode(body.mode("mode", null));
        }
        return q.filter(body.filter("filter")).build();
    }
}
