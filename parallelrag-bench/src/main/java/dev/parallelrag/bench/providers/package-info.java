/**
 * The remote-provider benchmark: throughput and latency of the clients against the testkit's fake provider with
 * scripted latency and faults.
 */
package dev.parallelrag.bench.providers;
