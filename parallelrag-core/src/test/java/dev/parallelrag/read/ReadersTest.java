package dev.parallelrag.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Document;
import dev.parallelrag.read.DocumentReadException.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {

    @TempDir
    Path dir;

    @Test
    void plainTextIsReadExactly() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "héllo 👋\nworld\n");
        Document doc = new PlainTextReader().read(file, "a.txt");
        assertThat(doc.id()).isEqualTo("a.txt");
        assertThat(doc.text()).isEqualTo("héllo 👋\nworld\n");
        assertThat(doc.metadata()).containsEntry("format", "text");
    }

    @Test
    void invalidUtf8NamesPathAndByteOffset() throws Exception {
        byte[] bytes = {'a', 'b', 'c', (byte) 0xC3, (byte) 0xA9, 'x', (byte) 0xFF, 'y'};
        Path file = Files.write(dir.resolve("bad.txt"), bytes);
        assertThatThrownBy(() -> new PlainTextReader().read(file, "bad.txt"))
                .isInstanceOfSatisfying(DocumentReadException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.INVALID_UTF8);
                    assertThat(e.byteOffset()).hasValue(6);
                    assertThat(e.path()).isEqualTo(file.toString());
                    assertThat(e.getMessage()).contains(file.toString()).contains("byte offset 6");
                });
    }

    @Test
    void truncatedSequenceAtEndIsInvalid() throws Exception {
        Path file = Files.write(dir.resolve("trunc.txt"), new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x82});
        assertThatThrownBy(() -> new PlainTextReader().read(file, "t"))
                .isInstanceOfSatisfying(DocumentReadException.class, e -> assertThat(e.byteOffset()).hasValue(2));
    }

    @Test
    void nulBytesMeanBinary() throws Exception {
        Path file = Files.write(dir.resolve("image.txt"), new byte[] {'P', 'N', 'G', 0, 1, 2});
        assertThatThrownBy(() -> new PlainTextReader().read(file, "i"))
                .isInstanceOfSatisfying(DocumentReadException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.BINARY);
                    assertThat(e.byteOffset()).hasValue(3);
                });
    }

    @Test
    void utf8BomIsDroppedAndEmptyFileIsEmptyDocument() throws Exception {
        Path bom = Files.write(dir.resolve("bom.txt"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'});
        assertThat(new PlainTextReader().read(bom, "b").text()).isEqualTo("hi");
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertThat(new PlainTextReader().read(empty, "e").text()).isEmpty();
    }

    @Test
    void tooLargeFileIsRejectedBeforeReading() throws Exception {
        Path file = Files.writeString(dir.resolve("big.txt"), "0123456789");
        assertThatThrownBy(() -> new PlainTextReader(5).read(file, "big"))
                .isInstanceOfSatisfying(DocumentReadException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TOO_LARGE));
    }

    @Test
    void directoriesMissingFilesAndBrokenLinksAreTypedErrors() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("folder.txt"));
        Path link = Files.createSymbolicLink(dir.resolve("dangling.txt"), dir.resolve("nowhere"));
        PlainTextReader reader = new PlainTextReader();
        assertThatThrownBy(() -> reader.read(sub, "f")).isInstanceOfSatisfying(DocumentReadException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.NOT_A_REGULAR_FILE));
        assertThatThrownBy(() -> reader.read(link, "d")).isInstanceOfSatisfying(DocumentReadException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
        assertThatThrownBy(() -> reader.read(dir.resolve("missing.txt"), "m")).isInstanceOfSatisfying(DocumentReadException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
    }

    @Test
    void fifoIsRejectedInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("pipe.txt");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo not available");
        assertThatThrownBy(() -> new PlainTextReader().read(fifo, "p")).isInstanceOfSatisfying(DocumentReadException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.NOT_A_REGULAR_FILE));
    }

    @Test
    void markdownKeepsMarkupAndTakesTitle() throws Exception {
        String md = "Intro line\n\n# The Title #\n\nBody *text*.\n";
        Path file = Files.writeString(dir.resolve("notes.MD"), md);
        Document doc = ReaderRegistry.defaults().read(file, "notes.MD");
        assertThat(doc.text()).isEqualTo(md);
        assertThat(doc.metadata()).containsEntry("format", "markdown").containsEntry("title", "The Title");
    }

    @Test
    void registryChoosesByLongestExtensionCaseInsensitively() {
        DocumentReader gz = new FixedReader("gz", Set.of("gz"));
        DocumentReader targz = new FixedReader("targz", Set.of("tar.gz"));
        ReaderRegistry registry = ReaderRegistry.builder().withBuiltIns().register(gz).register(targz).build();
        assertThat(registry.forPath(Path.of("x/a.TAR.GZ"))).containsSame(targz);
        assertThat(registry.forPath(Path.of("a.gz"))).containsSame(gz);
        assertThat(registry.forPath(Path.of("README"))).isEmpty();
        assertThat(registry.forPath(Path.of(".txt"))).isEmpty(); // a hidden name, not an extension
        assertThat(registry.forPath(Path.of("a.txt")).orElseThrow().name()).isEqualTo("text");
    }

    @Test
    void laterRegistrationOverridesAnExtension() {
        DocumentReader custom = new FixedReader("custom", Set.of("txt"));
        ReaderRegistry registry = ReaderRegistry.builder().withBuiltIns().register(custom).build();
        assertThat(registry.forPath(Path.of("a.txt"))).containsSame(custom);
        assertThat(registry.forPath(Path.of("a.md")).orElseThrow().name()).isEqualTo("markdown");
    }

    @Test
    void serviceLoaderDiscoversTestReader() {
        // META-INF/services in test resources lists TestCsvReader
        ReaderRegistry registry = ReaderRegistry.defaults();
        assertThat(registry.forPath(Path.of("data.csv")).orElseThrow()).isInstanceOf(TestCsvReader.class);
    }

    @Test
    void unknownExtensionIsNoReaderError() throws Exception {
        Path file = Files.writeString(dir.resolve("photo.xyz"), "?");
        assertThatThrownBy(() -> ReaderRegistry.defaults().read(file, "p"))
                .isInstanceOfSatisfying(DocumentReadException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.NO_READER);
                    assertThat(e.getMessage()).contains("photo.xyz").contains("txt");
                });
    }

    @Test
    void badExtensionsAreValidationErrors() {
        assertThatThrownBy(() -> ReaderRegistry.builder().register(new FixedReader("x", Set.of(".md"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining(".md");
        assertThatThrownBy(() -> ReaderRegistry.builder().build()).isInstanceOf(ValidationException.class);
    }

    @Test
    void decodeIsByteExactForMultiByteText() {
        String text = "日本語のテキスト — ça marche 🎉";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(SourceFiles.decodeUtf8(Path.of("x"), bytes)).isEqualTo(text);
    }

    record FixedReader(String name, Set<String> extensions) implements DocumentReader {
        @Override
        public Document read(Path path, String documentId) {
            return new Document(documentId, name);
        }
    }
}
