/**
 * The bounded soak: mixed ingest, search and complete in one JVM of their own against the testkit, with the
 * process's memory, threads and file descriptors sampled as it runs ({@link dev.parallelrag.stress.SoakRun}),
 * and the test that judges the samples ({@link dev.parallelrag.stress.SoakTest}).
 */
package dev.parallelrag.stress;
