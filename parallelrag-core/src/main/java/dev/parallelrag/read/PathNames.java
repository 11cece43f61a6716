package dev.parallelrag.read;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Printable, lossless names for file paths: document ids and the names shown in reports. Each name in a
 * path is rendered from the bytes the file system holds, whatever the JVM's locale:
 * <ul>
 *   <li>valid UTF-8 is kept as it is, so an ordinary name reads the same in every locale
 *       ({@code ünï_日本.txt});</li>
 *   <li>a byte that is not part of valid UTF-8 becomes {@code \xHH} ({@code x\xff.txt});</li>
 *   <li>a control character (U+0000-U+001F, U+007F-U+009F) becomes {@code \xHH} for each of its UTF-8
 *       bytes, so a name can never break a report's line or drive a terminal;</li>
 *   <li>a backslash becomes {@code \\}, so the rendering is unambiguous: two distinct names never give
 *       the same string.</li>
 * </ul>
 * Names are joined with {@code /} on every platform.
 *
 * <h2>Where the bytes come from</h2>
 * On Linux the JVM decodes file names with {@code sun.jnu.encoding}, which follows the locale: under
 * {@code LANG=C} it is US-ASCII and every non-ASCII byte becomes U+FFFD; under a UTF-8 locale, a byte that is
 * not valid UTF-8 still becomes U+FFFD, so {@code x\xff.txt} and {@code x\xfe.txt} both print as
 * {@code x\uFFFD.txt}. {@code Path.toString()} is therefore lossy, and converting that string back to a path
 * may throw {@code InvalidPathException}. The bytes themselves are kept inside the path object
 * ({@code sun.nio.fs.UnixPath}, not public; reflection into it would need {@code --add-opens}), and the one
 * public API that exposes them is {@link Path#toUri()}: on the default Unix file system it percent-encodes
 * the path's raw bytes ({@code sun.nio.fs.UnixUriUtils}). Checked on Linux with Temurin 25 under
 * {@code LANG=C} and {@code C.UTF-8}, and with OpenJDK 17 under {@code LANG=C}: {@code x%FF.txt},
 * {@code x%FE.txt} and {@code %C3%BCn%C3%AF_...} every time (no JDK 21 was at hand; it lies between the two).
 * {@code -Dsun.jnu.encoding=UTF-8} on the command line is not honoured by either (the JVM sets the property
 * from the locale again), so changing the encoding is left to the launcher, which sets a UTF-8 locale.
 * When the JVM decodes names as UTF-8 and a name holds no U+FFFD, its string is exact and no URI is built.
 * Other file systems (Windows, zip, in-memory) keep names as strings, which are used as they are.
 */
public final class PathNames {

    private static final HexFormat HEX = HexFormat.of();

    /** Whether the JVM decodes file names as UTF-8; a name it decoded without U+FFFD is then exact. */
    private static final boolean JVM_NAMES_UTF8 = isUtf8(System.getProperty("sun.jnu.encoding"));

    private PathNames() {
    }

    /**
     * The document id of a file: the path as given, normalized ({@code a/./b/../c} is {@code a/c}), rendered
     * as described above; {@code "."} for the empty path.
     */
    public static String documentId(Path path) {
        String id = render(path.normalize());
        return id.isEmpty() ? "." : id;
    }

    /** The path as given (not normalized), rendered as described above: safe to print, never ambiguous. */
    public static String render(Path path) {
        StringBuilder out = new StringBuilder();
        Path root = path.getRoot();
        if (root != null) {
            out.append(root.toString().replace(root.getFileSystem().getSeparator(), "/"));
        }
        List<byte[]> raw = null;
        for (int i = 0; i < path.getNameCount(); i++) {
            if (i > 0) {
                out.append('/');
            }
            String name = path.getName(i).toString();
            if (isPlainAscii(name)) {
                out.append(name);
            } else if (!hasRawBytes(path) || (JVM_NAMES_UTF8 && name.indexOf('\uFFFD') < 0)) {
                appendEscaped(out, name.getBytes(StandardCharsets.UTF_8));
            } else {
                raw = raw != null ? raw : rawNames(path);
                appendEscaped(out, raw.get(i));
            }
        }
        return out.toString();
    }

    /** Printable ASCII without a backslash: its string is exact in every file-name encoding and needs no escape. */
    private static boolean isPlainAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The default file system with '/' separators holds names as bytes that {@link Path#toUri()} exposes. */
    private static boolean hasRawBytes(Path path) {
        return path.getFileSystem() == FileSystems.getDefault() && "/".equals(path.getFileSystem().getSeparator());
    }

    /**
     * The raw bytes of each name of the path, from its URI: the absolute path's bytes percent-encoded, so its
     * last {@code getNameCount()} segments are the path's own names ({@code toAbsolutePath} prepends the
     * working directory and does not normalize; a directory's URI ends with '/').
     */
    private static List<byte[]> rawNames(Path path) {
        String uriPath = path.toAbsolutePath().toUri().getRawPath();
        if (uriPath.endsWith("/") && uriPath.length() > 1) {
            uriPath = uriPath.substring(0, uriPath.length() - 1);
        }
        String[] segments = uriPath.split("/", -1);
        int n = path.getNameCount();
        List<byte[]> names = new ArrayList<>(n);
        for (int i = segments.length - n; i < segments.length; i++) {
            names.add(percentDecode(segments[i]));
        }
        return names;
    }

    private static byte[] percentDecode(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length()) {
                bytes.write(HEX.fromHexDigits(segment, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(c); // a URI's raw path is ASCII: every other byte is percent-encoded
            }
        }
        return bytes.toByteArray();
    }

    /** Appends the bytes as UTF-8 text, escaping invalid bytes, control characters and backslashes. */
    private static void appendEscaped(StringBuilder out, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        while (in.hasRemaining()) {
            CoderResult result = decoder.decode(in, text, true);
            appendText(out, text.flip());
            text.clear();
            if (!result.isError()) {
                break; // underflow at the end of input: every byte was decoded
            }
            for (int k = 0; k < result.length(); k++) {
                appendByte(out, in.get());
            }
        }
    }

    private static void appendText(StringBuilder out, CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (Character.isISOControl(c)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    appendByte(out, b);
                }
            } else {
                out.append(c);
            }
        }
    }

    private static void appendByte(StringBuilder out, byte b) {
        out.append("\\x").append(HEX.toHexDigits(b));
    }

    private static boolean isUtf8(String charsetName) {
        try {
            return charsetName != null && Charset.forName(charsetName).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
