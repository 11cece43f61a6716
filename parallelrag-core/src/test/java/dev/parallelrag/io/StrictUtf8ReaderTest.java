package dev.parallelrag.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8ReaderTest {

    private static String readAll(Reader reader, int chunk) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[chunk];
        int n;
        while ((n = reader.read(buf, 0, chunk)) >= 0) {
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesValidMultiByteTextAcrossBufferBoundaries() throws IOException {
        // 3- and 4-byte sequences land on every alignment of the 64 KiB byte buffer
        String text = "héllo 東京 🦜 ".repeat(20_000) + "\uFEFF end";
        for (int chunk : new int[] {1, 7, 100_000}) {
            try (Reader r = new StrictUtf8Reader("t.txt", new ByteArrayInputStream(utf8(text)))) {
                assertThat(readAll(r, chunk)).isEqualTo(text);
            }
        }
    }

    @Test
    void emptyInputReadsAsEmptyText() throws IOException {
        try (Reader r = new StrictUtf8Reader("empty", new ByteArrayInputStream(new byte[0]))) {
            assertThat(r.read(new char[4], 0, 4)).isEqualTo(-1);
        }
    }

    @Test
    void reportsTheByteOffsetOfAnInvalidByteFarIntoTheInput() {
        byte[] prefix = utf8("ok 🦜 ".repeat(30_000)); // 240,000 bytes, spans several buffers
        byte[] input = concat(prefix, new byte[] {(byte) 0xFF}, utf8("after"));

        assertThatThrownBy(() -> readAll(new StrictUtf8Reader("data/a.txt", new ByteArrayInputStream(input)), 4096))
                .isInstanceOfSatisfying(InvalidUtf8Exception.class, e -> {
                    assertThat(e.byteOffset()).isEqualTo(prefix.length);
                    assertThat(e.source()).isEqualTo("data/a.txt");
                })
                .hasMessageContaining("data/a.txt: invalid UTF-8 at byte offset 240000")
                .hasMessageContaining("0xFF")
                .hasMessageNotContaining("\n");
    }

    @Test
    void rejectsOverlongEncodingsAndEncodedSurrogates() {
        byte[] overlong = concat(utf8("abc"), new byte[] {(byte) 0xC0, (byte) 0xAF});
        byte[] surrogate = concat(utf8("ab"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});

        assertThatThrownBy(() -> readAll(new StrictUtf8Reader("o", new ByteArrayInputStream(overlong)), 16))
                .isInstanceOfSatisfying(InvalidUtf8Exception.class, e -> assertThat(e.byteOffset()).isEqualTo(3));
        assertThatThrownBy(() -> readAll(new StrictUtf8Reader("s", new ByteArrayInputStream(surrogate)), 16))
                .isInstanceOfSatisfying(InvalidUtf8Exception.class, e -> assertThat(e.byteOffset()).isEqualTo(2));
    }

    @Test
    void reportsASequenceTruncatedByTheEndOfInput() {
        byte[] parrot = utf8("🦜");
        byte[] input = concat(utf8("xyz"), java.util.Arrays.copyOf(parrot, 2));

        assertThatThrownBy(() -> readAll(new StrictUtf8Reader("-", new ByteArrayInputStream(input)), 16))
                .isInstanceOfSatisfying(InvalidUtf8Exception.class, e -> assertThat(e.byteOffset()).isEqualTo(3))
                .hasMessageContaining("truncated sequence 0xF0 0x9F at end of input");
    }
}
