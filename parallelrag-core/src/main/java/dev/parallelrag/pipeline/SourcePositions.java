package dev.parallelrag.pipeline;

/**
 * Converts chunk offsets (UTF-16) to 1-based line numbers and code-point offsets for citations and the
 * CLI's JSON. Chunks arrive in increasing start order, so the scan from one start to the next is
 * incremental and the whole document is walked about once.
 */
final class SourcePositions {

    private final String text;
    private int pos;
    private int line = 1;
    private int codePoints;

    SourcePositions(String text) {
        this.text = text;
    }

    /** Fields for the chunk [start, end): {line_start, line_end, cp_start, cp_end}. */
    int[] of(int start, int end) {
        if (start < pos) { // out of order: restart (never happens for our splitters, but stay correct)
            pos = 0;
            line = 1;
            codePoints = 0;
        }
        advance(start);
        int lineEnd = line;
        int cpLen = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' && i < end - 1) {
                lineEnd++;
            }
            if (!Character.isLowSurrogate(c) || i == start || !Character.isHighSurrogate(text.charAt(i - 1))) {
                cpLen++;
            }
        }
        return new int[] {line, lineEnd, codePoints, codePoints + cpLen};
    }

    private void advance(int target) {
        for (; pos < target; pos++) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
            }
            if (!Character.isLowSurrogate(c) || pos == 0 || !Character.isHighSurrogate(text.charAt(pos - 1))) {
                codePoints++;
            }
        }
    }
}
