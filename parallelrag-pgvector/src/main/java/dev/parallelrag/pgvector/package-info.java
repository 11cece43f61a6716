/**
 * A {@link dev.parallelrag.store.VectorStore} on PostgreSQL with pgvector, for indexes that many processes share:
 * {@link dev.parallelrag.pgvector.PgVectorStore} keeps chunks in one table with an HNSW index on the embeddings and a
 * stored {@code tsvector} for full-text search, writes batches with {@code COPY}, and fuses vector and keyword
 * results with reciprocal rank fusion inside one SQL statement. {@link dev.parallelrag.pgvector.PgVectorConfig}
 * holds its settings.
 */
package dev.parallelrag.pgvector;
