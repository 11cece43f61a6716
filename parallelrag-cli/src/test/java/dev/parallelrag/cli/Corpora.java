package dev.parallelrag.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Small corpora for whole-process tests, cut from the repository's State of the Union addresses. */
final class Corpora {

    private Corpora() {
    }

    /** The first {@code documents} addresses, each cut to its first {@code chars} characters, in a new folder. */
    static Path sotu(Path folder, int documents, int chars) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(ProjectFiles.ROOT.resolve("data/sotu"))) {
            for (Path f : files.sorted().limit(documents).toList()) {
                String text = Files.readString(f);
                Files.writeString(folder.resolve(f.getFileName()), text.substring(0, Math.min(chars, text.length())));
            }
        }
        return folder;
    }
}
