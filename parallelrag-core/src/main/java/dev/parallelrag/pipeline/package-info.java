/**
 * The two pipelines: {@code IngestPipeline} reads, splits, embeds and writes files into a {@code VectorStore} in
 * parallel and in input order, and {@code Rag} answers a question from the store, with an LLM or extractively,
 * citing its numbered sources.
 */
package dev.parallelrag.pipeline;
