/**
 * JMH benchmarks of the text splitters against LangChain4j's.
 */
package dev.parallelrag.bench.split;
