package dev.parallelrag.server;

import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link ServerRoutes} declares its routes: {@code routes.post("/v1/search", handler)} for the API port,
 * {@code routes.management().get("/metrics", handler)} for {@code /metrics} and {@code /health/*}, which move to
 * the management port when one is set. Paths use Javalin's syntax ({@code /v1/jobs/{id}}); handlers are Javalin's.
 *
 * <p>Every route gets the server's handling for free: the body limit ({@link ServerConfig#maxJsonBodyBytes()}, or
 * {@link ServerConfig#maxUploadBytes()} for {@link #upload} routes) checked before the handler runs, the API key and
 * the key's limits on {@code /v1/*}, and any exception turned into the one error shape by {@link ErrorMapper}.
 *
 * <p>Not thread-safe: used only while the server is being built.
 */
public final class Routes {

    /** A route and its handler, in the order they were declared. */
    record Entry(Route route, Handler handler) {
    }

    private final List<Entry> entries;
    private final Route.Surface surface;
    private final Routes management;

    /** The API table, with its management table beside it. */
    Routes() {
        this.entries = new ArrayList<>();
        this.surface = Route.Surface.API;
        this.management = new Routes(entries);
    }

    private Routes(List<Entry> shared) {
        this.entries = shared;
        this.surface = Route.Surface.MANAGEMENT;
        this.management = this;
    }

    /** The table of {@code /metrics} and {@code /health/*}: the management port's when one is set, served without a key. */
    public Routes management() {
        return management;
    }

    public Routes get(String path, Handler handler) {
        return add("GET", path, false, handler);
    }

    public Routes post(String path, Handler handler) {
        return add("POST", path, false, handler);
    }

    public Routes put(String path, Handler handler) {
        return add("PUT", path, false, handler);
    }

    public Routes delete(String path, Handler handler) {
        return add("DELETE", path, false, handler);
    }

    /**
     * A POST whose body may be as large as {@link ServerConfig#maxUploadBytes()}: files as multipart (read with
     * {@code ctx.uploadedFiles()}), or a large JSON body read with {@link RequestBodies#bytes}. Every other route's
     * body stops at {@link ServerConfig#maxJsonBodyBytes()}.
     */
    public Routes upload(String path, Handler handler) {
        return add("POST", path, true, handler);
    }

    private Routes add(String method, String path, boolean upload, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/': " + path);
        }
        if (surface == Route.Surface.MANAGEMENT && path.startsWith(Route.KEYED_PREFIX)) {
            throw new IllegalArgumentException(path + " is an API route (" + Route.KEYED_PREFIX + "*), not a management one");
        }
        for (Entry e : entries) {
            if (e.route().method().equals(method) && e.route().path().equals(path)) {
                throw new IllegalArgumentException(method + " " + path + " is declared twice");
            }
        }
        entries.add(new Entry(new Route(method, path, surface, upload), handler));
        return this;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }
}
