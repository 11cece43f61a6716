/**
 * Client statistics a person can read: requests, failures by kind, latency percentiles, retries, breaker state and
 * tokens, as a {@code ClientStats} snapshot.
 */
package dev.parallelrag.stats;
