/**
 * The values that flow through a pipeline: a {@code Document} read from a source and the {@code Chunk}s a splitter
 * cuts it into, with their offsets and metadata.
 */
package dev.parallelrag.model;
