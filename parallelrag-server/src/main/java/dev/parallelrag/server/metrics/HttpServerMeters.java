package dev.parallelrag.server.metrics;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server meter of a Javalin app: {@value #REQUESTS}, a timer by {@code method}, {@code uri} (the route's
 * template, such as {@code /v1/jobs/{id}}, or {@code NOT_FOUND}), {@code status} and {@code outcome}
 * ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}...), with the tags Micrometer's own HTTP server
 * instrumentation uses. An event stream is timed to its end. Both listeners of a server (the API port and the
 * management port) feed the same meter.
 *
 * <p>Javalin's hooks, not Micrometer's Jetty 12 {@code TimedHandler}: that one, built for Jetty 12.0, sees status 0 for
 * every response of Jetty 12.1, and it cannot name the route.
 */
public final class HttpServerMeters {

    public static final String REQUESTS = "http.server.requests";
    private static final String STARTED = HttpServerMeters.class.getName() + ".started";

    private HttpServerMeters() {
    }

    /** Times every request the app serves, from before its first handler to after its last. */
    public static void install(JavalinConfig config, MeterRegistry registry) {
        config.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        config.routes.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            if (started != null) {
                timer(registry, ctx).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** When the request arrived, in {@link System#nanoTime()}, as the first hook saw it; now when it was not seen. */
    public static long startedNanos(Context ctx) {
        Long started = ctx.attribute(STARTED);
        return started != null ? started : System.nanoTime();
    }

    private static Timer timer(MeterRegistry registry, Context ctx) {
        int status = ctx.statusCode();
        Endpoint endpoint = ctx.endpoint();
        String uri = status == 404 ? "NOT_FOUND" : endpoint == null ? "UNKNOWN" : endpoint.path;
        return Timer.builder(REQUESTS).description("HTTP requests the server answered")
                .tags("method", ctx.method().name(), "uri", uri, "status", Integer.toString(status),
                        "outcome", outcome(status))
                .register(registry);
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }
}
