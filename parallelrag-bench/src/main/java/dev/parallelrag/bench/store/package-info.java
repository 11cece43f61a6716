/**
 * Store benchmarks: what the Lucene index's integrity check costs on an index of realistic size
 * ({@code IntegrityCheckBench}), and the pgvector store's bulk write against LangChain4j's
 * {@code PgVectorEmbeddingStore} ({@code PgWriteBench}) and its query latency and recall@10 against exact search
 * ({@code PgQueryBench}), on seeded synthetic rows ({@code SyntheticCorpus}); run by {@code scripts/bench-pg.sh}.
 */
package dev.parallelrag.bench.store;
