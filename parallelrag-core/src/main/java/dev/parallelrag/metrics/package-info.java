/**
 * The Micrometer meters ParallelRAG publishes: the OpenTelemetry GenAI client and server metrics with the names,
 * attributes and bucket boundaries of the semantic conventions ({@link dev.parallelrag.metrics.GenAiMetrics}), and
 * the {@code parallelrag.*} meters of the ingest pipeline and the store. Every meter goes to a registry the
 * application passes in, never to a private global one.
 */
package dev.parallelrag.metrics;
