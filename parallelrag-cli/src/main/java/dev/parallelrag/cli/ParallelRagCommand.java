package dev.parallelrag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code parallelrag} command-line tool. Subcommands only wire library pieces together. */
@Command(name = "parallelrag", mixinStandardHelpOptions = true, version = "parallelrag 0.1.0-SNAPSHOT",
        description = "Parallel retrieval-augmented generation: split, embed, index, retrieve, answer.",
        subcommands = {CommandLine.HelpCommand.class, CompleteCommand.class, EmbedCommand.class, TestkitCommand.class,
                IngestCommand.class, AskCommand.class, SearchCommand.class, StatsCommand.class})
public final class ParallelRagCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ParallelRagCommand()).execute(args));
    }
}
