package dev.parallelrag.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.UnaryOperator;

/**
 * Where a command reads input, writes output and finds its environment. Commands take one so tests can run
 * them in-process with captured streams and a fake environment.
 *
 * @param in             standard input
 * @param out            standard output (results)
 * @param err            standard error (progress, summary)
 * @param env            environment variable lookup
 * @param stderrTerminal whether stderr is a terminal (then a progress bar is drawn)
 */
public record CliIo(InputStream in, PrintStream out, PrintStream err, UnaryOperator<String> env,
                    boolean stderrTerminal) {

    /** The process's own streams and environment. */
    public static CliIo system() {
        return new CliIo(System.in, System.out, System.err, System::getenv, stderrIsTerminal());
    }

    /**
     * The launcher passes {@code -Dparallelrag.stderr.tty} from {@code [ -t 2 ]}, which is exact. Without it we
     * fall back to the JVM's console check (JDK 22+ {@code Console.isTerminal()}, looked up reflectively since
     * we compile for 21), which looks at stdin/stdout rather than stderr.
     */
    static boolean stderrIsTerminal() {
        String flag = System.getProperty("parallelrag.stderr.tty");
        if (flag != null) {
            return Boolean.parseBoolean(flag);
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
