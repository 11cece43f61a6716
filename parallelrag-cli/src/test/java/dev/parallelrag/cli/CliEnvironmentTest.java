package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    /** {@code -XshowSettings:properties} makes the JVM print the properties it was started with. */
    @Test
    void parallelragJavaOptsReachTheJvmAndTheLauncherSetsTheTtyProperty() throws Exception {
        Path launcher = LauncherCopy.create(dir);

        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version");
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
}
