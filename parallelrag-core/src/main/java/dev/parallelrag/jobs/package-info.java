/**
 * Ingest as jobs: {@link dev.parallelrag.jobs.IngestJobs} takes files or texts as one job, answers with its id at
 * once and runs it through the engine's ingest pipeline in the background, a bounded number at a time, with the
 * state of each file, an event log of every change, cancel, and a bounded memory of finished jobs. What a server's
 * {@code /v1/documents} and {@code /v1/jobs} routes serve.
 */
package dev.parallelrag.jobs;
