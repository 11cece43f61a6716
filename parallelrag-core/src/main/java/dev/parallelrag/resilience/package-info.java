/**
 * How remote calls survive a bad day: {@code ResilienceConfig} (retry with backoff and jitter honouring
 * Retry-After, circuit breaker, timeouts, request and token rate limits, adaptive concurrency) and the executor
 * that applies it to every call, built on Resilience4j.
 */
package dev.parallelrag.resilience;
