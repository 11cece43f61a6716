package dev.parallelrag.server.query;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Query;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.server.metrics.GenAiServerMeters;
import dev.parallelrag.server.sse.SseWriter;
import io.javalin.http.Context;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one streamed answer into an event stream, for {@code /v1/ask} and {@code /v1/chat/completions} alike; only
 * the events' shapes differ ({@link Events}). A client that goes away stops the answer at once (its LLM call is cut
 * off, see {@link ParallelRag#askStreaming}). An error before anything was sent propagates, so the client gets an
 * ordinary error response with its status; after that it goes as the stream's last event.
 */
final class AnswerStream {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerStream.class);

    /** How one endpoint writes the pieces of an answer, the answer, and an error. */
    interface Events {
        void delta(SseWriter out, String piece);

        void answer(SseWriter out, Answer answer);

        void error(SseWriter out, RuntimeException error);
    }

    private AnswerStream() {
    }

    static void run(Context ctx, ParallelRag engine, Query question, Duration heartbeat, GenAiServerMeters meters,
                    Events events) {
        StopSignal stop = StopSignal.withGrace(Duration.ZERO); // nobody is left to read what a grace would finish
        GenAiServerMeters.Answer measured = meters.start(ctx);
        try (SseWriter out = SseWriter.start(ctx, heartbeat)) {
            out.onClientGone(stop::stop);
            try {
                Answer answer = engine.askStreaming(question, piece -> {
                    events.delta(out, piece);
                    measured.pieceSent();
                }, stop);
                events.answer(out, answer);
                measured.succeeded();
            } catch (RuntimeException e) {
                if (out.clientGone()) {
                    measured.failed(GenAiServerMeters.CANCELLED);
                    LOG.debug("{} {}: the client went away; its answer was stopped", ctx.method(), ctx.path());
                    return;
                }
                measured.failed(e);
                if (out.closeIfNotStarted()) {
                    throw e;
                }
                events.error(out, e);
            }
        }
    }
}
