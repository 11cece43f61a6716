/**
 * The {@code VectorStore} SPI every store implements (upsert, delete, vector search, and {@code HybridSearchable}
 * for vector plus keyword search fused by reciprocal rank), its request and result records, and the in-memory
 * store.
 */
package dev.parallelrag.store;
