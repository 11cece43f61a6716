package dev.parallelrag.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Decodes a byte stream as strict UTF-8. Unlike {@link java.io.InputStreamReader}, which silently replaces
 * bad bytes with U+FFFD, the first invalid or truncated sequence raises an {@link InvalidUtf8Exception}
 * naming the source and the exact byte offset: the decoder reports errors instead of replacing them, and
 * the reader counts the bytes the decoder has consumed.
 *
 * <p>A leading byte-order mark is kept as the character U+FEFF, so character offsets are offsets into
 * exactly what the file holds. Not thread-safe, like any reader.
 */
public final class StrictUtf8Reader extends Reader {

    private static final int BYTE_BUFFER = 64 * 1024;
    private static final int CHAR_BUFFER = 16 * 1024;

    private final String source;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BYTE_BUFFER).flip(); // read mode, empty
    private final CharBuffer chars = CharBuffer.allocate(CHAR_BUFFER).flip(); // read mode, empty
    private long bytesBeforeBuffer; // stream bytes dropped from the front of {@code bytes} so far
    private boolean endOfInput;
    private boolean finished;

    /**
     * @param source the input's name for error messages (a path, or {@code -} for standard input)
     * @param in     the bytes; closed when this reader is closed
     */
    public StrictUtf8Reader(String source, InputStream in) {
        this.source = Objects.requireNonNull(source, "source");
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * @throws InvalidUtf8Exception at the first invalid or truncated UTF-8 sequence
     */
    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, cbuf.length);
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (!decodeMore()) {
                return -1;
            }
        }
        int n = Math.min(len, chars.remaining());
        chars.get(cbuf, off, n);
        return n;
    }

    /** Bytes decoded so far (the offset of the next undecoded byte). */
    public long bytesDecoded() {
        return bytesBeforeBuffer + bytes.position();
    }

    /** Fills {@code chars} with at least one character; false at the end of the input. */
    private boolean decodeMore() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (finished) {
                    return false;
                }
                refill();
                CoderResult result = decoder.decode(bytes, chars, endOfInput);
                if (result.isError()) {
                    throw invalid(result);
                }
                if (endOfInput && result.isUnderflow()) {
                    decoder.flush(chars); // UTF-8 keeps no state past the input, so this cannot fail
                    finished = true;
                }
            }
            return true;
        } finally {
            chars.flip();
        }
    }

    /** Moves unconsumed bytes to the front and reads more from the stream, if there is room. */
    private void refill() throws IOException {
        if (endOfInput) {
            return;
        }
        bytesBeforeBuffer += bytes.position();
        bytes.compact();
        try {
            if (bytes.hasRemaining()) {
                int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                if (n < 0) {
                    endOfInput = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
            }
        } finally {
            bytes.flip();
        }
    }

    private InvalidUtf8Exception invalid(CoderResult result) {
        int at = bytes.position(); // the decoder stops at the first byte of the bad sequence
        int length = Math.min(result.length(), bytes.limit() - at);
        byte[] bad = new byte[length];
        bytes.get(at, bad);
        String hex = HexFormat.ofDelimiter(" ").withPrefix("0x").withUpperCase().formatHex(bad);
        String detail = endOfInput && at + length == bytes.limit() && !startsWithInvalidLead(bad)
                ? "truncated sequence " + hex + " at end of input"
                : "malformed sequence " + hex;
        return new InvalidUtf8Exception(source, bytesBeforeBuffer + at, detail);
    }

    /** A byte that can never start a sequence (a continuation byte, 0xC0, 0xC1, 0xF5..0xFF). */
    private static boolean startsWithInvalidLead(byte[] bad) {
        int b = bad.length == 0 ? 0 : bad[0] & 0xFF;
        return (b >= 0x80 && b < 0xC2) || b > 0xF4;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
