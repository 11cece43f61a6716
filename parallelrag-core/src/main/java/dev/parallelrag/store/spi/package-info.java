/**
 * Service-provider interface for stores that live outside core: a module registers a
 * {@link dev.parallelrag.store.spi.VectorStoreProvider} with {@link java.util.ServiceLoader}, and the
 * engine ({@link dev.parallelrag.engine.ParallelRag}) opens an index directory through it.
 */
package dev.parallelrag.store.spi;
