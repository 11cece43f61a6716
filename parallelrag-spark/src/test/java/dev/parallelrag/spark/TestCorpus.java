package dev.parallelrag.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A small folder to ingest: the openings of the repository's State of the Union addresses (data/sotu), a few
 * chunks each, and one file that is not valid UTF-8, which every ingest must report as failed and skip.
 */
final class TestCorpus {

    static final String BAD_FILE = "broken.txt";

    private TestCorpus() {
    }

    /** {@code files} texts of about {@code chars} characters each, plus {@link #BAD_FILE}, in {@code dir}. */
    static Path write(Path dir, int files, int chars) {
        Path sotu = Path.of("..", "data", "sotu");
        try (Stream<Path> all = Files.list(sotu)) {
            List<Path> chosen = all.sorted().limit(files).toList();
            for (Path p : chosen) {
                String text = Files.readString(p);
                Files.writeString(dir.resolve(p.getFileName()), text.substring(0, Math.min(chars, text.length())));
            }
            Files.write(dir.resolve(BAD_FILE), "caf\u00e9 ".getBytes(StandardCharsets.ISO_8859_1)); // é as one byte: not UTF-8
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
