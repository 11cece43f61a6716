/**
 * Load harnesses for {@code parallelrag serve} that a stock tool cannot drive: many concurrent SSE streams read to
 * their end. Request-rate load on plain JSON endpoints is measured with {@code wrk} ({@code scripts/bench-server.sh}).
 */
package dev.parallelrag.bench.server;
