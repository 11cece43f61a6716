package dev.parallelrag.io;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;

/**
 * An input that must be UTF-8 holds a byte sequence that is not valid UTF-8. Names the source (a file
 * path, or {@code -} for standard input) and the 0-based byte offset of the first invalid sequence, so a
 * user can find it with {@code xxd -s OFFSET FILE | head -1}.
 */
public final class InvalidUtf8Exception extends ParallelRagException {

    private final String source;
    private final long byteOffset;

    public InvalidUtf8Exception(String source, long byteOffset, String detail) {
        super(source + ": invalid UTF-8 at byte offset " + byteOffset + " (" + detail
                + "); convert the input to UTF-8, e.g. with iconv");
        this.source = source;
        this.byteOffset = byteOffset;
    }

    /** The input's name: a path as given, or {@code -} for standard input. */
    public String source() {
        return source;
    }

    /** 0-based offset of the first byte of the first invalid sequence. */
    public long byteOffset() {
        return byteOffset;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.VALIDATION;
    }
}
