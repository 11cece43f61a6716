/**
 * Where work runs: {@code ParallelRuntime} owns a core-sized pool for CPU work and virtual threads for I/O, with
 * bounded queues, and returns results in input order, each as an {@code Outcome} holding its value or its own
 * error.
 */
package dev.parallelrag.runtime;
