package dev.parallelrag.server;

/**
 * One route the server registered: what {@link ParallelRagServer#routes()} lists, and what the OpenAPI document is
 * checked against.
 *
 * @param method  HTTP method, upper case ({@code GET}, {@code POST}, ...)
 * @param path    Javalin path syntax, path parameters in braces: {@code /v1/jobs/{id}}
 * @param surface the API port, or the management one ({@code /metrics}, {@code /health/*})
 * @param upload  true when the body limit is {@link ServerConfig#maxUploadBytes()}, not {@link ServerConfig#maxJsonBodyBytes()}
 */
public record Route(String method, String path, Surface surface, boolean upload) {

    /** The prefix of every route that needs {@code Authorization: Bearer <key>}. */
    public static final String KEYED_PREFIX = "/v1/";

    /** Which listener serves a route. */
    public enum Surface {
        /** The API port: the {@code /v1/*} routes, the web page, the OpenAPI document. */
        API,
        /** {@code /metrics} and {@code /health/*}: the management port when one is set, else the API port. Never keyed. */
        MANAGEMENT
    }

    /** Whether a request must carry an API key: every {@code /v1/*} route; never a management route. */
    public boolean keyed() {
        return surface == Surface.API && path.startsWith(KEYED_PREFIX);
    }
}
