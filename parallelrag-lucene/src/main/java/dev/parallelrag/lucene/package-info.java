/**
 * The embedded default store: {@code LuceneVectorStore} keeps chunks in a Lucene directory, with HNSW vector
 * search, BM25 keyword search and both fused by reciprocal rank ({@code LuceneStoreConfig} holds its settings).
 */
package dev.parallelrag.lucene;
