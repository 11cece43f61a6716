package dev.parallelrag.split;

/**
 * A half-open range {@code [start, end)} of UTF-16 indices into a source text: what a splitter cuts
 * before the slices become {@link dev.parallelrag.model.Chunk}s.
 */
public record TextSpan(int start, int end) {

    public TextSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
        }
    }

    /** The slice of {@code source} this span covers. */
    public String text(String source) {
        return source.substring(start, end);
    }
}
