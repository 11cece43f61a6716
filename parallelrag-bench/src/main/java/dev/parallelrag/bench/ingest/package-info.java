/**
 * The end-to-end ingest benchmark: a folder read, split, embedded and indexed by ParallelRAG and by LangChain4j,
 * side by side.
 */
package dev.parallelrag.bench.ingest;
