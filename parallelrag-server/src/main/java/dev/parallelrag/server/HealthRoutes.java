package dev.parallelrag.server;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthRegistry;
import dev.parallelrag.health.HealthStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health/live} and {@code GET /health/ready}, on the management surface, without a key.
 *
 * <p>Live answers 200 while the server answers at all: a process that cannot is restarted. Ready answers 200 when the
 * server can answer questions now: the embedding model is loaded and no component of {@link ParallelRag#health()} is
 * DOWN (DEGRADED still serves); else 503, so a load balancer sends no traffic yet. Both bodies carry the components
 * with their status and reason, and ready lists the reasons it is not.
 */
final class HealthRoutes implements ServerRoutes {

    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";

    @Override
    public void register(Routes routes, ServerContext context) {
        routes.management()
                .get(LIVE, ctx -> ctx.json(Map.of("status", HealthStatus.UP.name())))
                .get(READY, ctx -> {
                    Map<String, Object> body = readiness(context.engine(), context.warmUp());
                    ctx.status(Boolean.TRUE.equals(body.get("ready")) ? 200 : 503).json(body);
                });
    }

    /** {@code {"ready":..,"reasons":[..],"status":..,"components":{..}}}. */
    static Map<String, Object> readiness(ParallelRag engine, WarmUp warmUp) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        HealthRegistry.Report report;
        try {
            report = engine.health();
        } catch (ClosedException e) {
            body.put("ready", false);
            body.put("reasons", List.of("the server is shutting down: " + e.getMessage()));
            body.put("status", HealthStatus.DOWN.name());
            body.put("components", Map.of());
            return body;
        }
        if (!engine.embedderLoaded()) {
            reasons.add(warmUp.notLoadedReason());
        }
        for (Health h : report.components()) {
            if (h.status() == HealthStatus.DOWN) {
                reasons.add(h.component() + " is DOWN: " + h.reason());
            }
        }
        body.put("ready", reasons.isEmpty());
        body.put("reasons", reasons);
        body.putAll(report.toMap());
        return body;
    }
}
