package dev.parallelrag.cli.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository checkout the tests run in, found from the working directory upward. */
final class Repository {

    private Repository() {
    }

    /** The directory holding {@code docs/configuration.md} and the parent POM. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("parallelrag-core"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the repository root (pom.xml next to parallelrag-core/) is not above "
                + Path.of("").toAbsolutePath() + "; run the tests inside the repository");
    }

    /** The Java files under {@code src/<sourceSet>/java} of every module (the examples' own project too). */
    static List<Path> javaSources(String sourceSet) {
        String marker = "/src/" + sourceSet + "/java/";
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().replace('\\', '/').contains(marker))
                    .filter(p -> !p.toString().contains("/target/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
