/**
 * Load harnesses for a running {@code parallelrag serve}: many concurrent SSE answer streams over the real HTTP
 * stack (JDK HttpClient on virtual threads), each checked to its end, with the server's heap and threads sampled
 * after GC between waves. Driven by {@code scripts/bench-server.sh sse}; figures in docs/BENCHMARKS.md "Server".
 */
package dev.parallelrag.bench.server;
