package dev.parallelrag.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code parallelrag} command-line tool. Subcommands only wire library pieces together. */
@Command(name = "parallelrag", mixinStandardHelpOptions = true, version = "parallelrag 0.1.0-SNAPSHOT",
        description = "Parallel retrieval-augmented generation: split, embed, index, retrieve, answer.",
        subcommands = {CommandLine.HelpCommand.class, SplitCommand.class, CompleteCommand.class, EmbedCommand.class,
                TestkitCommand.class, IngestCommand.class, AskCommand.class, SearchCommand.class, StatsCommand.class,
                VerifyCommand.class, HealthCommand.class, ServeCommand.class})
public final class ParallelRagCommand {

    /** Held so the level sticks: Lucene's "vector incubator module is not readable" notice is not for CLI users. */
    private static final java.util.logging.Logger LUCENE_VECTORIZATION =
            java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

    public static void main(String[] args) {
        LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
        CommandLine cli = newCommandLine();
        // UTF-8 whatever the locale (a POSIX locale would turn every non-ASCII character into '?'), buffered
        cli.setOut(new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true));
        ShutdownStop shutdown = ShutdownStop.installForProcess(); // SIGTERM/SIGINT stop complete, embed and ingest in order
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.out.flush();
        System.err.flush();
        shutdown.finished();
        System.exit(code);
    }

    /**
     * The configured command line, also used by tests in-process: enum values case-insensitive, paths that the
     * locale cannot encode a usage error ({@link PathConverter}), and usage
     * errors and failures reported as one line on stderr (see {@link CliErrors}) with exit code 2 or 1.
     */
    public static CommandLine newCommandLine() {
        return new CommandLine(new ParallelRagCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Path.class, new PathConverter())
                .setParameterExceptionHandler(CliErrors::onUsageError)
                .setExecutionExceptionHandler(CliErrors::onFailure);
    }
}
