package dev.parallelrag.cli;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ProviderException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every command reports problems: one line on stderr, prefixed with the command's name, and the exit
 * code of the CLI contract (2 for a usage error, 3 for a damaged index, 1 for another failure). No stack traces, unless the environment
 * variable {@code PARALLELRAG_DEBUG} is set (for bug reports).
 */
public final class CliErrors {

    /** Exit code when some input failed. */
    public static final int FAILURE = 1;
    /** Exit code for a usage error: a bad option, value or combination. */
    public static final int USAGE = 2;
    /** Exit code for a damaged index ({@code IndexCorruptException}): rebuild it with {@code ingest --rebuild}. */
    public static final int CORRUPT = 3;
    /** Exit code of {@code health} when the verdict is DEGRADED: it works, but needs a look. */
    public static final int DEGRADED = 4;
    /** Exit code of {@code health} when the verdict is DOWN: some component cannot serve. */
    public static final int DOWN = 5;
    /** Exit code of a run stopped by SIGINT (128 + 2): what finished was written, the rest can be run again. */
    public static final int INTERRUPTED = 130;
    /**
     * Exit code of a run stopped by SIGTERM (128 + 15). A command that was stopped returns this one; the process
     * exits with the JVM's status for the signal that stopped it, {@link #INTERRUPTED} for SIGINT.
     */
    public static final int TERMINATED = 143;

    private CliErrors() {
    }

    /** Picocli hook for options it cannot parse (unknown option, bad number, bad enum value). */
    static int onUsageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
        cmd.getErr().flush();
        return USAGE;
    }

    /** Picocli hook for exceptions escaping a command: validation errors are usage errors, the rest failures. */
    static int onFailure(Exception ex, CommandLine cmd, ParseResult parseResult) {
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(name + ": " + describe(ex));
        if (System.getenv("PARALLELRAG_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return exitCode(ex);
    }

    /**
     * The exit code for an error that ended a command: usage, damaged index, or any other failure. A request the
     * provider rejected (a {@link ProviderException} of kind validation) is a failure, not a usage error: the
     * command line was valid.
     */
    static int exitCode(Exception ex) {
        if (ex instanceof IndexCorruptException) {
            return CORRUPT;
        }
        boolean usage = ex instanceof ParallelRagException p && !(p instanceof ProviderException)
                && p.kind() == ErrorKind.VALIDATION;
        return usage ? USAGE : FAILURE;
    }

    /** The exception's message on one line; the class name where the message says nothing. */
    public static String describe(Throwable ex) {
        String message = ex.getMessage();
        if (ex instanceof ParallelRagException && message != null) {
            return oneLine(message);
        }
        return oneLine(ex.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
