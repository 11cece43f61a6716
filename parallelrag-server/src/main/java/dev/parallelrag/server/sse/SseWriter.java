package dev.parallelrag.server.sse;

import dev.parallelrag.error.ValidationException;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Server-Sent Events response, written from the request's own (virtual) thread while a heartbeat thread keeps
 * it alive. What makes it survive proxies and load balancers: {@code Content-Type: text/event-stream},
 * {@code Cache-Control: no-cache}, {@code X-Accel-Buffering: no} (nginx would buffer the stream otherwise), a flush
 * after every event, and a comment line ({@code : heartbeat}) whenever nothing was written for the heartbeat
 * interval, so that no idle timeout in between closes a stream that waits for a slow model.
 *
 * <p><b>Lazy start.</b> The status line and headers go out with the first write (event or heartbeat), so a request
 * that fails at once (bad input, no index) still gets an ordinary JSON error with its status: see {@link #started()}.
 *
 * <p><b>A client that goes away.</b> The first write that fails (the client closed its connection, which a heartbeat
 * notices even while no event is due) marks the stream gone and runs the {@link #onClientGone} actions once, e.g.
 * stopping the LLM call that feeds it; the failed write then throws an {@link UncheckedIOException} to its caller.
 * Writes after that throw at once. Thread-safe: events and heartbeats never interleave.
 */
public final class SseWriter implements AutoCloseable {

    /** The heartbeat interval unless the server is configured otherwise: under the common 30 s and 60 s proxy timeouts. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServletResponse response;
    private final long heartbeatNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> goneActions = new CopyOnWriteArrayList<>();
    private final Thread heartbeat;
    private OutputStream out; // null until the first write sends the headers
    private long lastWrite = System.nanoTime();
    private volatile boolean gone;
    private volatile boolean closed;

    private SseWriter(HttpServletResponse response, Duration heartbeat) {
        this.response = response;
        this.heartbeatNanos = heartbeat.toNanos();
        this.heartbeat = Thread.ofVirtual().name("parallelrag-sse-heartbeat").unstarted(this::beat);
    }

    /**
     * Prepares the request's response as an event stream and starts its heartbeat; nothing is sent yet.
     *
     * @throws ValidationException for a heartbeat that is not positive
     */
    public static SseWriter start(Context ctx, Duration heartbeat) {
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new ValidationException("sseHeartbeat", heartbeat, "must be a positive duration, e.g. 15s");
        }
        SseWriter writer = new SseWriter(ctx.res(), heartbeat);
        writer.heartbeat.start();
        return writer;
    }

    /** Runs {@code action} once when the client is found gone (at once if it is already). */
    public void onClientGone(Runnable action) {
        goneActions.add(action);
        if (gone && goneActions.remove(action)) {
            action.run();
        }
    }

    /** An event with a name: {@code event: name} and {@code data:} lines. */
    public void event(String name, String data) {
        write("event: " + name + "\n" + dataLines(data) + "\n");
    }

    /**
     * An event with a name and an id ({@code id:}), which a reconnecting client sends back as {@code Last-Event-ID}.
     *
     * @throws IllegalArgumentException for an id with a line break, which would end the field early
     */
    public void event(String name, String id, String data) {
        if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an event id is one line: " + id);
        }
        write("id: " + id + "\nevent: " + name + "\n" + dataLines(data) + "\n");
    }

    /** An event with data only, as OpenAI's streams send them. */
    public void data(String data) {
        write(dataLines(data) + "\n");
    }

    /** A comment line: ignored by clients, it only keeps the connection busy. */
    public void comment(String text) {
        write(": " + text.replace("\n", " ") + "\n\n");
    }

    /** Whether anything was sent: after that the status is 200 and an error must travel as an event. */
    public boolean started() {
        lock.lock();
        try {
            return out != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the stream if nothing was sent yet, so that the caller can still answer with an ordinary error response,
     * and says whether it did: false means the stream had started (an error must go as an event) or was closed.
     */
    public boolean closeIfNotStarted() {
        lock.lock();
        try {
            if (out != null || closed) {
                return false;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        heartbeat.interrupt();
        return true;
    }

    /** Whether a write found the client gone. */
    public boolean clientGone() {
        return gone;
    }

    private static String dataLines(String data) {
        StringBuilder sb = new StringBuilder();
        for (String line : data.split("\r\n|\r|\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        return sb.toString();
    }

    private void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8), true);
    }

    private void write(byte[] bytes, boolean throwIfGone) {
        lock.lock();
        try {
            if (closed || gone) {
                if (throwIfGone) {
                    throw new UncheckedIOException(new IOException("the event stream is " + (gone ? "gone" : "closed")));
                }
                return;
            }
            if (out == null) {
                response.setStatus(200);
                response.setContentType("text/event-stream;charset=utf-8");
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader("X-Accel-Buffering", "no");
                out = response.getOutputStream();
            }
            out.write(bytes);
            out.flush();
            lastWrite = System.nanoTime();
        } catch (IOException e) {
            gone = true;
            lock.unlock();
            try {
                runGoneActions();
            } finally {
                lock.lock();
            }
            if (throwIfGone) {
                throw new UncheckedIOException("the client closed the event stream", e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void runGoneActions() {
        for (Runnable action : goneActions) {
            if (goneActions.remove(action)) {
                action.run();
            }
        }
    }

    private void beat() {
        while (!closed && !gone) {
            long idle;
            lock.lock();
            try {
                idle = System.nanoTime() - lastWrite;
            } finally {
                lock.unlock();
            }
            if (idle >= heartbeatNanos) {
                write(HEARTBEAT, false);
                continue;
            }
            try {
                Thread.sleep(Duration.ofNanos(heartbeatNanos - idle));
            } catch (InterruptedException e) {
                return; // closed
            }
        }
    }

    /** Stops the heartbeat and ends the response. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (out != null && !gone) {
                out.close();
            }
        } catch (IOException e) {
            gone = true; // the client left as the stream ended: nothing more to tell it
        } finally {
            lock.unlock();
            heartbeat.interrupt();
        }
    }
}
