/**
 * {@code GET /metrics}: the Prometheus text of the server's one meter registry, which the engine, its clients and the
 * server itself (HTTP and JVM meters) write to. See docs/server.md, "Metrics and alerts", and docs/metrics.md.
 */
package dev.parallelrag.server.metrics;
