/**
 * The {@code parallelrag} command-line tool: picocli commands, option parsing, progress bars and output formats.
 * It only wires the library together; no policy or algorithm lives here.
 */
package dev.parallelrag.cli;
