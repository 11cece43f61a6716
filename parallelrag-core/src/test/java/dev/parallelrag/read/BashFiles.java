package dev.parallelrag.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes files with names a JVM cannot make: bytes that are not valid UTF-8 ({@code x\xff.txt}), or, under a C
 * locale, any non-ASCII name. bash writes them from ANSI-C strings ({@code $'x\xff.txt'}). The strings passed
 * are ASCII, because a JVM under a C locale cannot pass non-ASCII arguments to a process.
 */
public final class BashFiles {

    private BashFiles() {
    }

    /** Creates each file in {@code dir}, holding the line {@code file NAME} (the ANSI-C spelling). */
    public static void create(Path dir, String... ansiCNames) throws Exception {
        StringBuilder script = new StringBuilder("set -e");
        for (String name : ansiCNames) {
            script.append("; printf 'file %s\\n' '").append(name.replace("'", "")).append("' > $'").append(name).append("'");
        }
        run(dir, script.toString());
    }

    /** Runs a bash script in {@code dir} and requires it to succeed. */
    public static void run(Path dir, String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "cd \"$1\" && " + script, "bash", dir.toString()).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("bash finished").isTrue();
        assertThat(p.exitValue()).as("bash ran: %s", script).isZero();
    }
}
