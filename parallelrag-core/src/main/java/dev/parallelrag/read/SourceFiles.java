package dev.parallelrag.read;

import dev.parallelrag.read.DocumentReadException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Safe file access for readers: every failure becomes a {@link DocumentReadException} naming the path.
 *
 * <p>Why check the file kind first: opening a FIFO named {@code notes.txt} would block forever, and a
 * directory or device is never a document. Only regular files (or symlinks to them) are opened.
 */
public final class SourceFiles {

    /** Default upper bound of a file's size: large single files are read whole, so keep memory bounded. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    private static final int UTF8_BOM_LENGTH = 3;

    private SourceFiles() {
    }

    /** Reads all bytes of a regular file of at most {@link #DEFAULT_MAX_BYTES}. */
    public static byte[] readBytes(Path path) {
        return readBytes(path, DEFAULT_MAX_BYTES);
    }

    /** Reads all bytes of a regular file of at most {@code maxBytes}. */
    public static byte[] readBytes(Path path, long maxBytes) {
        checkRegularFile(path);
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw unreadable(path, e);
        }
        if (size > maxBytes) {
            throw new DocumentReadException(path, Problem.TOO_LARGE, "file is " + size + " bytes, more than the limit of "
                    + maxBytes + " bytes; split it or raise the reader's size limit");
        }
        try (InputStream in = Files.newInputStream(path)) {
            // read one byte past the limit so a file that grew since size() was taken is still caught
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new DocumentReadException(path, Problem.TOO_LARGE,
                        "file is larger than the limit of " + maxBytes + " bytes; split it or raise the reader's size limit");
            }
            return bytes;
        } catch (IOException e) {
            throw unreadable(path, e);
        }
    }

    /** Throws unless {@code path} is a regular file (following symlinks). */
    public static void checkRegularFile(Path path) {
        if (Files.isRegularFile(path)) {
            return;
        }
        if (Files.isSymbolicLink(path) && !Files.exists(path)) {
            throw new DocumentReadException(path, Problem.NOT_FOUND,
                    "broken symbolic link (its target does not exist); fix or remove the link");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new DocumentReadException(path, Problem.NOT_FOUND, noSuchFile(path));
        }
        String kind = Files.isDirectory(path) ? "a directory" : "not a regular file (FIFO, socket or device)";
        throw new DocumentReadException(path, Problem.NOT_A_REGULAR_FILE, kind + "; give a regular file");
    }

    /**
     * Decodes UTF-8 strictly: malformed or truncated sequences are an error naming the byte offset of
     * the first bad byte, never silently replaced. Bytes containing NUL are reported as binary.
     * A leading UTF-8 byte order mark is dropped (offsets index into the text after it).
     */
    public static String decodeUtf8(Path path, byte[] bytes) {
        checkNotBinary(path, bytes);
        int start = hasUtf8Bom(bytes) ? UTF8_BOM_LENGTH : 0;
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        if (isAscii(bytes, start)) {
            return new String(bytes, start, bytes.length - start, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new DocumentReadException(path, Problem.INVALID_UTF8, in.position(),
                    "invalid UTF-8 at byte offset " + in.position() + "; convert the file to UTF-8 (e.g. iconv -t UTF-8)",
                    null);
        }
        out.flip();
        return out.toString();
    }

    /** Reads and strictly decodes a UTF-8 text file. */
    public static String readUtf8(Path path, long maxBytes) {
        return decodeUtf8(path, readBytes(path, maxBytes));
    }

    /** Throws {@link Problem#BINARY} if the bytes contain a NUL, which text files never do. */
    public static void checkNotBinary(Path path, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new DocumentReadException(path, Problem.BINARY, i,
                        "binary content (NUL byte at byte offset " + i + "); exclude it or give a text file", null);
            }
        }
    }

    private static boolean hasUtf8Bom(byte[] b) {
        return b.length >= UTF8_BOM_LENGTH && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    private static boolean isAscii(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A name holding U+FFFD was most likely typed or passed as a string (a command-line argument) for a file
     * whose name is not valid UTF-8: the JVM decoded its bad bytes to U+FFFD, and no string can name it.
     */
    private static String noSuchFile(Path path) {
        return path.toString().indexOf('\uFFFD') < 0 ? "no such file; check the path"
                : "no such file; its name holds U+FFFD, which is what the JVM makes of a name that is not valid UTF-8 "
                        + "when it is given as a string (an argument): name the folder that holds the file instead";
    }

    static DocumentReadException unreadable(Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DocumentReadException(path, Problem.NOT_FOUND, noSuchFile(path), e);
        }
        if (e instanceof AccessDeniedException) {
            return new DocumentReadException(path, Problem.UNREADABLE, "permission denied; check the file's permissions", e);
        }
        return new DocumentReadException(path, Problem.UNREADABLE,
                "cannot read: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }
}
