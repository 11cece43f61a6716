/**
 * The embedding cache every embedder can sit behind: {@link dev.parallelrag.embed.cache.CachingEmbeddingModel}
 * in front of any local or remote {@code EmbeddingModel}, with a bounded memory tier and an optional
 * crash-safe disk tier, keyed by embedding space, input type and text hash.
 */
package dev.parallelrag.embed.cache;
