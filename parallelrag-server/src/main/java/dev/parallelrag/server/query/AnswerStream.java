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
 * off, see {@link ParallelRag#askStreaming}).
 *
 * <p><b>Open at once.</b> The status, the headers and a {@code : open} comment go out before the answer starts, so
 * a client sees its stream alive however long the answer waits for its first token: under load a request waits
 * behind the embedder's CPU pool and the LLM client's in-flight limit, and a client (or proxy) that has read
 * nothing may give up on it. The request was validated before this runs, so a bad request is still an ordinary
 * error response with its status; an error of the answer itself is the stream's last event.
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
                out.comment("open");
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
                events.error(out, e);
            }
        }
    }
}
