/** Store benchmarks: what the Lucene index's integrity check costs on an index of realistic size. */
package dev.parallelrag.bench.store;
