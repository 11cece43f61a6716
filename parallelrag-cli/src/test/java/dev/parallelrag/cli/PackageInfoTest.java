package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every package of every module's main code says its role in a {@code package-info.java}. */
class PackageInfoTest {

    /** A Javadoc comment with some text, then the package declaration. */
    private static final Pattern DOCUMENTED = Pattern.compile("(?s)/\\*\\*\\s*\\*?\\s*\\S.*?\\*/\\s*package [\\w.]+;\\s*");

    @Test
    void everyMainPackageHasAPackageInfoThatSaysItsRole() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (Path dir : packageDirectories()) {
            Path info = dir.resolve("package-info.java");
            boolean hasTypes = javaFiles(dir).stream().anyMatch(f -> !f.getFileName().toString().equals("package-info.java"));
            if (!Files.exists(info)) {
                missing.add(ProjectFiles.ROOT.relativize(dir).toString());
            } else if (!hasTypes) {
                empty.add(ProjectFiles.ROOT.relativize(info).toString());
            } else if (!DOCUMENTED.matcher(Files.readString(info)).matches()) {
                undocumented.add(ProjectFiles.ROOT.relativize(info).toString());
            }
        }
        assertThat(packageDirectories()).hasSizeGreaterThan(10); // the walk found the modules' sources
        assertThat(missing).as("packages without a package-info.java").isEmpty();
        assertThat(undocumented).as("package-info.java without a Javadoc comment saying the package's role").isEmpty();
        assertThat(empty).as("package-info.java left in a package with no types").isEmpty();
    }

    private static List<Path> packageDirectories() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String module : ReadmeTest.moduleNames()) {
            Path sources = ProjectFiles.ROOT.resolve(module).resolve("src/main/java");
            if (Files.isDirectory(sources)) {
                try (Stream<Path> walk = Files.walk(sources)) {
                    walk.filter(Files::isDirectory).filter(d -> !javaFiles(d).isEmpty()).forEach(dirs::add);
                }
            }
        }
        return dirs;
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
