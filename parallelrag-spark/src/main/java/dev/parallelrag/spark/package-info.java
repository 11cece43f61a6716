/**
 * Distributed ingestion on Apache Spark 4: {@link dev.parallelrag.spark.SparkIngest} walks the paths on the driver,
 * spreads the files over Spark tasks, and each task runs the engine's own {@code IngestPipeline} (readers, splitter,
 * local embedder, deterministic chunk ids) into a shared {@code PgVectorStore}. Writes are upserts by chunk id, so a
 * retried, speculative or re-run task changes nothing: the job has an exactly-once effect. One embedding model and one
 * store per executor JVM ({@link dev.parallelrag.spark.ExecutorResources}), shared by that executor's tasks.
 */
package dev.parallelrag.spark;
