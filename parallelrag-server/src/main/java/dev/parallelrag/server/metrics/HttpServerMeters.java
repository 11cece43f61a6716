package dev.parallelrag.server.metrics;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.jetty12.server.TimedHandler;

/**
 * The HTTP server meters of a Javalin app, from Micrometer's Jetty 12 instrumentation: {@code http.server.requests}
 * (a timer by {@code method}, {@code status} and {@code outcome}; event streams are timed to their end) and
 * {@code jetty.server.dispatches.open}, the requests in progress. Both listeners of a server (the API port and the
 * management port) feed the same meters.
 */
public final class HttpServerMeters {

    private HttpServerMeters() {
    }

    /** Times every request the app serves, in front of Javalin's servlet. */
    public static void install(JavalinConfig config, MeterRegistry registry) {
        config.jetty.modifyServletContextHandler(context -> context.insertHandler(new TimedHandler(registry, Tags.empty())));
    }
}
