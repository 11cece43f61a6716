package dev.parallelrag.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.read.ReaderRegistry;
import dev.parallelrag.server.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-pass spool of a multipart body, read in pieces as a network delivers it, and the files cut from it. */
class MultipartSpoolTest {

    @TempDir
    Path upload;

    /** A body delivered a few bytes at a time, so that boundaries and headers straddle the reads. */
    private static InputStream trickle(byte[] body, int piece) {
        return new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }

            @Override
            public int read(byte[] b) {
                return read(b, 0, b.length);
            }
        };
    }

    @Test
    void everyPartLandsOnceInTheSpoolAndEachFileIsCutFromItWithItsOwnBytes() throws IOException {
        Multipart body = new Multipart().file("a.txt", "Alpha text.").file("docs/b.md", "# Beta\n\nSecond file, "
                + "with a line that looks like a boundary:\r\n--not-it\r\n").encodedFile("caf%C3%A9.txt", "Gamma.");

        for (int piece : new int[] {1, 7, 64 << 10}) {
            Path dir = Files.createDirectory(upload.resolve("p" + piece));
            List<MultipartSpool.Part> parts = MultipartSpool.read(body.contentType(), trickle(body.body(), piece), dir,
                    1 << 20);

            assertThat(parts).as("piece " + piece).extracting(MultipartSpool.Part::fileName)
                    .containsExactly("a.txt", "docs/b.md", "café.txt");
            assertThat(Files.list(dir).toList()).containsExactly(dir.resolve(MultipartSpool.SPOOL));
            List<String> texts = parts.stream().map(p -> new SpooledFile(dir.resolve(MultipartSpool.SPOOL), p.offset(),
                    p.length(), UploadArea.fileFor(dir, parts.indexOf(p), p.fileName()), p.fileName()))
                    .map(f -> f.read(ReaderRegistry.defaults()).text()).toList();
            assertThat(texts.get(0)).isEqualTo("Alpha text.");
            assertThat(texts.get(1)).contains("Second file").contains("--not-it");
            assertThat(texts.get(2)).isEqualTo("Gamma.");
            assertThat(dir.resolve("000001.md")).exists();
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedAsTooLargeWhileItIsRead() {
        Multipart body = new Multipart().file("big.txt", "x".repeat(10_000));

        assertThatThrownBy(() -> MultipartSpool.read(body.contentType(), trickle(body.body(), 1000), upload, 4096))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("4096 bytes");
    }

    @Test
    void aTruncatedBodyOrOneWithoutABoundaryIsRefusedNamingTheField() {
        Multipart body = new Multipart().file("a.txt", "Alpha text.");
        byte[] truncated = Arrays.copyOf(body.body(), body.body().length - 12);

        assertThatThrownBy(() -> MultipartSpool.read(body.contentType(), trickle(truncated, 5), upload, 1 << 20))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("body"));
        assertThatThrownBy(() -> MultipartSpool.read("multipart/form-data", trickle(body.body(), 5),
                upload.resolve("never"), 1 << 20))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("Content-Type"));
    }
}
