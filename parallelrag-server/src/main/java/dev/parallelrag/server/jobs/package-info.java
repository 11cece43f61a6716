/**
 * The ingest-job and document routes: {@code POST /v1/documents}, {@code /v1/jobs/*} and {@code /v1/documents}
 * ({@link dev.parallelrag.server.jobs.JobRoutes}). Uploads are read and checked here; the jobs themselves are the
 * engine's ({@link dev.parallelrag.jobs.IngestJobs}).
 */
package dev.parallelrag.server.jobs;
