package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The environment variables and system properties of the command line take effect: {@code PARALLELRAG_DEBUG},
 * {@code -Dparallelrag.stderr.tty}, and the launcher's {@code PARALLELRAG_JAVA_OPTS}. Rows of
 * docs/configuration.md name these.
 */
class CliEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void parallelragDebugAddsTheStackTraceToAFailure() throws Exception {
        Path missing = dir.resolve("no-index-here");
        CliProcess plain = CliProcess.run(dir, Map.of(), "stats", "--index", missing.toString());
        CliProcess debug = CliProcess.run(dir, Map.of("PARALLELRAG_DEBUG", "1"), "stats", "--index", missing.toString());

        assertThat(plain.exitCode()).isNotZero();
        assertThat(plain.err()).doesNotContain("\tat ");
        assertThat(debug.exitCode()).isEqualTo(plain.exitCode());
        assertThat(debug.err()).startsWith(plain.err().strip()).contains("\tat dev.parallelrag.");
    }

    @Test
    void stderrTtyPropertyDecidesWhetherStderrCountsAsATerminal() {
        String before = System.getProperty("parallelrag.stderr.tty");
        try {
            System.setProperty("parallelrag.stderr.tty", "true");
            assertThat(CliIo.system().stderrTerminal()).isTrue();
            System.setProperty("parallelrag.stderr.tty", "false");
            assertThat(CliIo.system().stderrTerminal()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("parallelrag.stderr.tty");
            } else {
                System.setProperty("parallelrag.stderr.tty", before);
            }
        }
    }

    /**
     * Runs the real launcher script from a copy of the repository layout whose CLI jar is a manifest pointing
     * at this test's class path, so nothing is built; {@code -XshowSettings:properties} makes the JVM print the
     * properties it was started with.
     */
    @Test
    void parallelragJavaOptsReachTheJvmAndTheLauncherSetsTheTtyProperty() throws Exception {
        Path root = dir.resolve("repo");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(repo.resolve("parallelrag"), root.resolve("parallelrag"));
        Files.copy(repo.resolve("scripts/java-home.sh"), root.resolve("scripts/java-home.sh"));
        Path jar = Files.createDirectories(root.resolve("parallelrag-cli/target")).resolve("parallelrag.jar");
        writeLauncherJar(jar);

        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("parallelrag").toString(), "--version");
        pb.environment().put("PARALLELRAG_JAVA_OPTS", "-Dconfig.doc.mark=from-java-opts -XshowSettings:properties");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("parallelrag");
        assertThat(stderr).as("no build was started").doesNotContain("building the CLI")
                .contains("config.doc.mark = from-java-opts")
                .as("stderr is a file here, not a terminal").contains("parallelrag.stderr.tty = false");
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
