/**
 * Embedding models: the {@code EmbeddingModel} interface every local or remote embedder implements, and {@code
 * EmbeddingClient}, which adds request batching, resilience, stats and health to any of them.
 */
package dev.parallelrag.embed;
