/**
 * Service-provider interface for embedding models that live outside core: a module registers an
 * {@link dev.parallelrag.embed.spi.EmbeddingModelProvider} with {@link java.util.ServiceLoader}, and the
 * engine ({@link dev.parallelrag.engine.ParallelRag}) builds the model an index records through it.
 */
package dev.parallelrag.embed.spi;
