/**
 * Reading files into documents: the {@code DocumentReader} SPI (found by {@code ServiceLoader}), the plain-text
 * and Markdown readers, {@code ReaderRegistry} choosing a reader by extension, and {@code SourceWalker} walking
 * folders with include and exclude globs.
 */
package dev.parallelrag.read;
