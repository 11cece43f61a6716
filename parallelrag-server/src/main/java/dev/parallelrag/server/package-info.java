/**
 * The HTTP server of {@code parallelrag serve}: {@link dev.parallelrag.server.ParallelRagServer} serves one engine
 * ({@link dev.parallelrag.engine.ParallelRag}, given by the caller) over Javalin 7 on Jetty 12 with virtual threads.
 * This package holds the skeleton every area of the API plugs into: settings ({@link dev.parallelrag.server.ServerConfig}),
 * the route registration, the one error shape, and the health routes. Routes and wiring only: every behaviour is the
 * engine's.
 *
 * <h2>Adding routes</h2>
 * <ol>
 *   <li>Implement {@link dev.parallelrag.server.ServerRoutes} in a package of your area ({@code dev.parallelrag.server.query},
 *       {@code ...jobs}, ...). In {@code register(routes, context)} declare each route on
 *       {@link dev.parallelrag.server.Routes}: {@code routes.post("/v1/search", handler)}, {@code routes.upload(..)}
 *       for a large body, {@code routes.management().get("/metrics", handler)} for what belongs on the management
 *       port. {@link dev.parallelrag.server.ServerContext} has the engine, the settings, the JSON mapper, the meter
 *       registry and the stop signal.</li>
 *   <li>Add one line to {@link dev.parallelrag.server.StandardRoutes#create()}: the one list of everything served,
 *       which {@link dev.parallelrag.server.ParallelRagServer#routes()} reports and the OpenAPI document must cover.</li>
 *   <li>Release what your set started in {@link dev.parallelrag.server.ServerRoutes#close()}: it runs after the last
 *       request and before the engine closes.</li>
 * </ol>
 *
 * <h2>What every route gets</h2>
 * <ul>
 *   <li>Errors: throw the engine's typed exceptions ({@code dev.parallelrag.error.*}) as they are, or an
 *       {@link dev.parallelrag.server.ApiException} for a status of the API's own (404, 409); the
 *       {@link dev.parallelrag.server.ErrorMapper} answers every failure with its status and
 *       {@code {"error":{"type","message","field"?}}} (types in {@link dev.parallelrag.server.ErrorType}), 429 and 503
 *       with {@code Retry-After} when there is a wait to say. A 500 names an error id and keeps the stack trace in the
 *       log.</li>
 *   <li>Keys: with {@link dev.parallelrag.server.ServerConfig#apiKeys()} set, every {@code /v1/*} path needs
 *       {@code Authorization: Bearer <key>} (401 otherwise) and each key's {@code rpm} and {@code concurrency}
 *       limits hold (429 with {@code Retry-After}); a key's concurrency slot is held until the handler returns, so
 *       answer (and stream) within the handler. Management routes never need a key.</li>
 *   <li>Body limits: a body over {@link dev.parallelrag.server.ServerConfig#maxJsonBodyBytes()} (upload routes:
 *       {@link dev.parallelrag.server.ServerConfig#maxUploadBytes()}) is answered 413 before the handler runs, or
 *       while it reads the body when no length was sent.</li>
 *   <li>{@code /health/live} and {@code /health/ready} ({@code HealthRoutes}): ready once the embedding model is
 *       loaded (the server warms it up at start) and no component is DOWN.</li>
 * </ul>
 */
package dev.parallelrag.server;
