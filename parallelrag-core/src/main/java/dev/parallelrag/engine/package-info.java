/**
 * The engine: {@link dev.parallelrag.engine.ParallelRag} opens an index with everything it records
 * (store, embedder, splitter) and offers search, ask, stats and ingest. The CLI, and later the server and
 * the Spark job, open this one engine rather than assemble the parts themselves.
 */
package dev.parallelrag.engine;
