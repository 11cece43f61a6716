package dev.parallelrag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code parallelrag} command-line tool. Subcommands only wire library pieces together. */
@Command(name = "parallelrag", mixinStandardHelpOptions = true, version = "parallelrag 0.1.0-SNAPSHOT",
        description = "Parallel retrieval-augmented generation: split, embed, index, retrieve, answer.",
        subcommands = {CommandLine.HelpCommand.class, CompleteCommand.class, EmbedCommand.class, TestkitCommand.class,
                IngestCommand.class, AskCommand.class, SearchCommand.class, StatsCommand.class})
public final class ParallelRagCommand {

    /** Held so the level sticks: Lucene's "vector incubator module is not readable" notice is not for CLI users. */
    private static final java.util.logging.Logger LUCENE_VECTORIZATION =
            java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

    public static void main(String[] args) {
        LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
        System.exit(new CommandLine(new ParallelRagCommand()).execute(args));
    }
}
