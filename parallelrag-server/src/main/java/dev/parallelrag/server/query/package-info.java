/**
 * The query routes of the server: the native search and ask API, the OpenAI-compatible chat completions, models and
 * embeddings. Request parsing and response shapes only; every answer comes from the engine
 * ({@code dev.parallelrag.engine.ParallelRag}).
 */
package dev.parallelrag.server.query;
