package dev.parallelrag.split;

/**
 * What a separator-based splitter does with the separator text it splits on, as LangChain's
 * {@code keep_separator} option: {@code False}, {@code True}/{@code "start"} and {@code "end"}.
 */
public enum KeepSeparator {
    /** The separator is not part of any piece; pieces merged into one chunk keep the source text between them. */
    NONE,
    /** The separator starts the piece that follows it (LangChain {@code keep_separator=True} or {@code "start"}). */
    START,
    /** The separator ends the piece that precedes it (LangChain {@code keep_separator="end"}). */
    END
}
