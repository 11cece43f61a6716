/**
 * Reading input text: {@code InputSource} names a file or stream, {@code StrictUtf8Reader} decodes strict UTF-8
 * and reports the byte offset of invalid input instead of replacing it.
 */
package dev.parallelrag.io;
