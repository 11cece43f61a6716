package dev.parallelrag.cli.settings;

import dev.parallelrag.cli.ParallelRagCommand;
import dev.parallelrag.testkit.TestkitMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line options of every {@code parallelrag} subcommand, named {@code parallelrag CMD --option}:
 * read from picocli's command model, and, for {@code testkit} (which hands its arguments to the testkit
 * unparsed), from the testkit's own usage text.
 */
final class CliSettings {

    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    private CliSettings() {
    }

    static Set<String> options() {
        Set<String> names = new TreeSet<>();
        collect(ParallelRagCommand.newCommandLine(), names);
        for (String option : testkitOptions()) {
            names.add("parallelrag testkit " + option);
        }
        return names;
    }

    private static void collect(CommandLine command, Set<String> names) {
        String qualified = command.getCommandSpec().qualifiedName(" ");
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                names.add(qualified + " " + option.longestName());
            }
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand) && name.equals(sub.getCommandName())) {
                collect(sub, names);
            }
        });
    }

    /** The options {@code parallelrag testkit --help} lists. */
    private static Set<String> testkitOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int exit = TestkitMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("testkit --help exited with " + exit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Set<String> options = new TreeSet<>();
        Matcher m = LONG_OPTION.matcher(out.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            if (!m.group().equals("--help")) {
                options.add(m.group());
            }
        }
        return options;
    }
}
