package dev.parallelrag.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.server.metrics.HttpServerMeters;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine over HTTP: {@code ParallelRagServer.start(engine, config)} binds the ports and serves the routes of
 * {@link StandardRoutes} until {@link #close()}. It opens nothing of its own: the engine is the caller's, opened
 * before and closed after the server.
 *
 * <pre>{@code
 * try (ParallelRag engine = ParallelRag.open(Path.of(".parallelrag"));
 *      ParallelRagServer server = ParallelRagServer.start(engine, ServerConfig.defaults())) {
 *     System.out.println("serving on port " + server.port());
 *     ...
 * } // the server stops first, then the engine closes
 * }</pre>
 *
 * <p>Javalin 7 on Jetty 12 with virtual threads: a request (or a long event stream) holds a virtual thread, not a
 * platform one, so thousands of open streams cost little. Jetty's own I/O (accepting connections, its selectors)
 * runs on a small pool of platform threads: on virtual threads it would share the few carrier threads with the
 * requests' CPU work (retrieval runs on the request's thread), and a burst of requests would keep it from accepting
 * and reading the next connections for tens of seconds, until clients gave up on connections that had received no
 * byte. The accept queue holds {@value #ACCEPT_QUEUE} connections (the JDK's default is 50), so a burst of new
 * connections waits in the kernel instead of being dropped. With a management port, {@code /metrics} and
 * {@code /health/*} have a listener of their own and are not served on the API port.
 */
public final class ParallelRagServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParallelRagServer.class);
    /** Connections the kernel queues for Jetty's acceptor; Linux caps it at {@code net.core.somaxconn} (4096). */
    static final int ACCEPT_QUEUE = 1024;

    private final ServerConfig config;
    private final List<ServerRoutes> routeSets;
    private final List<Route> routes;
    private final StopSignal stop;
    private final MeterRegistry meterRegistry;
    private final KeyGate gate;
    private final Javalin api;
    private final Javalin management; // the same as api without a management port
    private boolean closed;

    private ParallelRagServer(Builder b) {
        this.config = b.config;
        this.routeSets = List.copyOf(b.routeSets);
        this.stop = StopSignal.create();
        this.meterRegistry = b.meterRegistry;
        this.gate = new KeyGate(config.apiKeys());
        ObjectMapper json = new ObjectMapper();
        WarmUp warmUp = new WarmUp(b.engine, config.warmUp());
        ServerContext context = new ServerContext(b.engine, config, json, b.meterRegistry, stop, warmUp);
        Routes table = new Routes();
        for (ServerRoutes set : routeSets) {
            set.register(table, context);
        }
        List<Routes.Entry> entries = table.entries();
        this.routes = entries.stream().map(Routes.Entry::route).toList();
        boolean separate = config.managementPort().isPresent();
        List<Javalin> started = new ArrayList<>();
        try {
            this.api = start(json, entries.stream().filter(e -> !separate || e.route().surface() == Route.Surface.API)
                    .toList(), config.port());
            started.add(api);
            this.management = separate ? start(json, entries.stream()
                    .filter(e -> e.route().surface() == Route.Surface.MANAGEMENT).toList(),
                    config.managementPort().getAsInt()) : api;
        } catch (RuntimeException e) {
            started.forEach(Javalin::stop);
            closeRouteSets();
            throw e;
        }
        warmUp.start();
        LOG.info("serving {} on http://{}:{}{}; {}", b.engine.location(), config.host(), port(),
                separate ? " (management on port " + managementPort() + ")" : "", config.apiKeys().isEmpty()
                        ? "no API keys: /v1/* is open to every process of this machine" : "/v1/* needs one of "
                        + config.apiKeys().size() + " API keys");
    }

    /** Serves {@code engine} with the routes of {@link StandardRoutes}. */
    public static ParallelRagServer start(ParallelRag engine, ServerConfig config) {
        return builder(engine, config).start();
    }

    public static Builder builder(ParallelRag engine, ServerConfig config) {
        return new Builder(engine, config);
    }

    private Javalin start(ObjectMapper json, List<Routes.Entry> entries, int port) {
        Javalin app = Javalin.create(c -> configure(c, json, entries, port));
        return app.start();
    }

    private void configure(JavalinConfig c, ObjectMapper json, List<Routes.Entry> entries, int port) {
        c.startup.showJavalinBanner = false;
        QueuedThreadPool io = new QueuedThreadPool();
        io.setName("parallelrag-jetty");
        io.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("parallelrag-request"));
        c.jetty.threadPool = io;
        c.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(config.host());
            connector.setPort(port);
            connector.setAcceptQueueSize(ACCEPT_QUEUE);
            return connector;
        });
        HttpServerMeters.install(c, meterRegistry);
        c.concurrency.useVirtualThreads = true;
        c.http.prefer405over404 = true;
        c.http.maxRequestSize = config.maxJsonBodyBytes(); // what ctx.body() reads at most, with or without a length
        c.jsonMapper(new JavalinJackson(json, false));
        c.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes(), SizeUnit.BYTES);
        c.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
        c.routes.exception(Exception.class, (e, ctx) -> writeError(ctx, ErrorMapper.toError(e)));
        // Javalin answers its own (no route, wrong method, body over the limit) in text unless told otherwise
        c.routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, ErrorMapper.toError(e)));
        c.routes.before(Route.KEYED_PREFIX + "*", gate::authenticate);
        for (Routes.Entry e : entries) {
            c.routes.addHttpHandler(HandlerType.findOrCreate(e.route().method()), e.route().path(), guarded(e));
        }
    }

    /**
     * The route's handler behind the server's checks: for {@code /v1/*} the key and its limits, then the body limit,
     * all before the handler reads anything. A key's concurrency slot is held until the handler returns, so a route
     * answers within its handler (a stream included), never from a future that outlives it.
     */
    private Handler guarded(Routes.Entry e) {
        long limit = e.route().upload() ? config.maxUploadBytes() : config.maxJsonBodyBytes();
        Handler handler = e.handler();
        boolean keyed = e.route().keyed();
        return ctx -> {
            Runnable release = keyed ? gate.admit(ctx) : () -> { };
            try {
                if (declaredLength(ctx) > limit) {
                    throw RequestBodies.tooLarge(limit);
                }
                ctx.attribute(RequestBodies.LIMIT_ATTRIBUTE, limit);
                handler.handle(ctx);
            } finally {
                release.run();
            }
        };
    }

    /** The body length the client declared, or -1 without one (the limit then holds while the body is read). */
    private static long declaredLength(Context ctx) {
        String header = ctx.header(Header.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(null, "Content-Length is not a number of bytes");
        }
    }

    static void writeError(Context ctx, ApiError error) {
        error.retryAfterHeader().ifPresent(s -> ctx.header(Header.RETRY_AFTER, s));
        if (error.status() == 401) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"parallelrag\"");
        }
        ctx.status(error.status()).json(error.body());
    }

    /** The API port, as bound (the real one when the config said 0). */
    public int port() {
        return api.port();
    }

    /** The port of {@code /metrics} and {@code /health/*}: the management port, or {@link #port()} without one. */
    public int managementPort() {
        return management.port();
    }

    public ServerConfig config() {
        return config;
    }

    /** Every route served, in declaration order: the list the OpenAPI document must cover. */
    public List<Route> routes() {
        return routes;
    }

    /**
     * Stops taking requests and waits for the ones in flight, stops {@link ServerContext#stopSignal()}, then closes the
     * route sets in reverse order. The engine stays open: it is the caller's. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop.stop();
        try {
            api.stop();
        } finally {
            if (management != api) {
                management.stop();
            }
            closeRouteSets();
        }
    }

    private void closeRouteSets() {
        for (ServerRoutes set : routeSets.reversed()) {
            try {
                set.close();
            } catch (RuntimeException e) {
                LOG.warn("closing route set {} failed", set.getClass().getSimpleName(), e);
            }
        }
    }

    /** Options of a server beyond its {@link ServerConfig}. Not thread-safe. */
    public static final class Builder {
        private final ParallelRag engine;
        private final ServerConfig config;
        private List<ServerRoutes> routeSets;
        private MeterRegistry meterRegistry;

        private Builder(ParallelRag engine, ServerConfig config) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The route sets to serve instead of {@link StandardRoutes#create()} (tests, an embedding application). */
        public Builder routes(List<ServerRoutes> routeSets) {
            this.routeSets = List.copyOf(routeSets);
            return this;
        }

        /**
         * Where the route sets and the HTTP server bind their meters, and what {@code GET /metrics} serves: a
         * {@link PrometheusMeterRegistry} or a composite holding one; default the engine's registry when it has one
         * ({@link ParallelRag#meterRegistry()}), so that its ingest and store meters are served, else a Prometheus
         * registry of this server's own.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /** Binds the ports and starts serving; starts the warm-up when the config says so. */
        public ParallelRagServer start() {
            if (routeSets == null) {
                routeSets = StandardRoutes.create();
            }
            if (meterRegistry == null) {
                meterRegistry = engine.meterRegistry().orElseGet(() -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            }
            return new ParallelRagServer(this);
        }
    }
}
