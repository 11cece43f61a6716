package dev.parallelrag.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SseWriter} on a real Jetty (Javalin) server on loopback, read by a raw socket client. */
@Timeout(60)
class SseWriterTest {

    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private int serve(Handler handler) {
        app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.routes.get("/events", handler);
        }).start("127.0.0.1", 0);
        return app.port();
    }

    /** A raw HTTP/1.1 exchange: the status line and headers are read by {@link #open}, then lines on demand. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final List<String> headers = new ArrayList<>();

        Client(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line.toLowerCase(Locale.ROOT));
            }
        }

        /** The next line of the body that is not chunked-encoding framing (hex sizes and empty lines around them). */
        String nextLine() throws Exception {
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return null;
                }
                if (!line.matches("[0-9a-fA-F]+")) {
                    return line;
                }
            }
        }

        /** Lines until {@code wanted}; null if the stream ends first. */
        List<String> until(String wanted) throws Exception {
            List<String> seen = new ArrayList<>();
            for (String line = nextLine(); line != null; line = nextLine()) {
                seen.add(line);
                if (line.equals(wanted)) {
                    return seen;
                }
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void eventsGoOutAtOnceWithTheProxyHeadersAndHeartbeatsFillTheSilence() throws Exception {
        CountDownLatch clientSawEvent = new CountDownLatch(1);
        CountDownLatch clientSawHeartbeat = new CountDownLatch(1);
        int port = serve(ctx -> {
            try (SseWriter out = SseWriter.start(ctx, Duration.ofMillis(100))) {
                out.event("first", "{\"n\":1}");
                clientSawEvent.await(30, TimeUnit.SECONDS); // flushed: the client has it while we still hold the stream
                clientSawHeartbeat.await(30, TimeUnit.SECONDS);
                out.data("two\nlines");
            }
        });
        try (Client c = new Client(port)) {
            assertThat(c.headers.getFirst()).startsWith("http/1.1 200");
            assertThat(c.headers).contains("cache-control: no-cache", "x-accel-buffering: no")
                    .anyMatch(h -> h.startsWith("content-type: text/event-stream"));
            assertThat(c.until("data: {\"n\":1}")).containsExactly("event: first", "data: {\"n\":1}");
            clientSawEvent.countDown();
            assertThat(c.until(": heartbeat")).isNotNull();
            clientSawHeartbeat.countDown();
            List<String> rest = c.until("data: lines");
            assertThat(rest).isNotNull().containsSubsequence("data: two", "data: lines");
        }
    }

    @Test
    void theHeartbeatIntervalIsTheOneGiven() throws Exception {
        int port = serve(ctx -> {
            try (SseWriter out = SseWriter.start(ctx, Duration.ofHours(1))) {
                out.comment("start");
                Thread.sleep(500); // silence: with an hour's interval no heartbeat is due
                out.event("end", "x");
            }
        });
        try (Client c = new Client(port)) {
            List<String> lines = c.until("data: x");
            assertThat(lines).isNotNull().contains(": start", "event: end").doesNotContain(": heartbeat");
        }
        assertThatThrownBy(() -> SseWriter.start(null, Duration.ZERO)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("sseHeartbeat");
    }

    @Test
    void aClientThatGoesAwayIsNoticedByTheHeartbeatAndLaterWritesFail() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        AtomicReference<Throwable> afterwards = new AtomicReference<>();
        CountDownLatch handlerDone = new CountDownLatch(1);
        int port = serve(ctx -> {
            try (SseWriter out = SseWriter.start(ctx, Duration.ofMillis(50))) {
                out.onClientGone(gone::countDown);
                out.event("ready", "1");
                if (gone.await(30, TimeUnit.SECONDS)) { // no event is due: only a heartbeat can notice
                    try {
                        out.event("late", "2");
                    } catch (UncheckedIOException e) {
                        afterwards.set(e);
                    }
                }
            } finally {
                handlerDone.countDown();
            }
        });
        try (Client c = new Client(port)) {
            assertThat(c.until("data: 1")).isNotNull();
        }
        assertThat(gone.await(30, TimeUnit.SECONDS)).as("the writer noticed the client leave").isTrue();
        assertThat(handlerDone.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(afterwards.get()).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void nothingIsSentUntilTheFirstWriteSoAnEarlyErrorKeepsItsStatus() throws Exception {
        int port = serve(ctx -> {
            SseWriter out = SseWriter.start(ctx, Duration.ofMinutes(1));
            assertThat(out.started()).isFalse();
            assertThat(out.closeIfNotStarted()).isTrue();
            ctx.status(409).result("{\"error\":{\"type\":\"conflict\",\"message\":\"busy\"}}");
        });
        try (Client c = new Client(port)) {
            assertThat(c.headers.getFirst()).startsWith("http/1.1 409");
            assertThat(c.headers).noneMatch(h -> h.startsWith("content-type: text/event-stream"));
        }
    }
}
