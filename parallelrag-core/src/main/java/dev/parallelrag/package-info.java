/**
 * The root of ParallelRAG, a parallel retrieval-augmented-generation toolkit: {@link dev.parallelrag.Internal}
 * marks the public types that are not API. Each concept has its own package below: {@code model}, {@code split},
 * {@code embed}, {@code llm}, {@code store}, {@code pipeline}, ...
 */
package dev.parallelrag;
