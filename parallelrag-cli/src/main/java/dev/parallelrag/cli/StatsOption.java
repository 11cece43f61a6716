package dev.parallelrag.cli;

import picocli.CommandLine;

/** {@code --stats json}: the only accepted value, so scripts can rely on it. */
final class StatsOption {

    private StatsOption() {
    }

    static boolean json(CommandLine.Model.CommandSpec spec, String value) {
        if (value == null) {
            return false;
        }
        if (!value.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stats: unknown value '" + value + "'; use --stats json");
        }
        return true;
    }
}
