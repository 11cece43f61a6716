package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --retry-failed FILE} of complete and embed: run only the items without a success in an earlier output. */
final class RetryFailedOption {

    @Option(names = "--retry-failed", paramLabel = "FILE",
            description = {"An earlier output of this command for the same input: its successes are written again as "
                    + "they are, and only the other items run (failed, interrupted, or missing), so the output is "
                    + "complete. Write it to another file than FILE."})
    Path previous;

    /** The earlier successes, or none when the option is not given. */
    PreviousResults load(CommandLine.Model.CommandSpec spec, String resultField, List<InputItem> input) {
        if (previous == null) {
            return PreviousResults.none();
        }
        try {
            return PreviousResults.read(previous, resultField, input);
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
