package dev.parallelrag.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real launcher script, in a copy of the repository layout whose CLI jar is a manifest pointing at this
 * test's class path, so that running it builds nothing and runs the classes under test.
 */
final class LauncherCopy {

    private LauncherCopy() {
    }

    /** Lays out the copy under {@code dir} and returns the launcher's path. */
    static Path create(Path dir) throws IOException {
        Path root = dir.resolve("repo");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(repo.resolve("parallelrag"), root.resolve("parallelrag"));
        Files.copy(repo.resolve("scripts/java-home.sh"), root.resolve("scripts/java-home.sh"));
        Path jar = Files.createDirectories(root.resolve("parallelrag-cli/target")).resolve("parallelrag.jar");
        writeLauncherJar(jar);
        return root.resolve("parallelrag");
    }

    private static void writeLauncherJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ParallelRagCommand.class.getName());
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toUri().toString())
                .collect(Collectors.joining(" "));
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(os, manifest)) {
            // the manifest is the whole jar
        }
    }
}
