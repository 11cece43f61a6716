package dev.parallelrag.server;

import dev.parallelrag.server.metrics.MetricsRoutes;
import dev.parallelrag.server.openapi.OpenApiRoutes;
import dev.parallelrag.server.web.WebPageRoutes;
import java.util.List;

/**
 * Every route set the server serves, in one list: what {@link ParallelRagServer#start(dev.parallelrag.engine.ParallelRag,
 * ServerConfig)} registers, and so what {@link ParallelRagServer#routes()} and the OpenAPI document cover. A new area
 * of the API adds its {@link ServerRoutes} here, and nowhere else.
 */
public final class StandardRoutes {

    private StandardRoutes() {
    }

    /** New instances of every route set (each server owns and closes its own). */
    public static List<ServerRoutes> create() {
        return List.of(
                new HealthRoutes(),
                new MetricsRoutes(),
                new WebPageRoutes(),
                new dev.parallelrag.server.query.QueryRoutes(),
                new OpenApiRoutes(),
                new dev.parallelrag.server.jobs.JobRoutes());
    }
}
