package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.runtime.StopSignal;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --stop-grace}: how long requests in flight may finish after SIGTERM or SIGINT (see {@link StopSignal}). */
final class StopOptions {

    @Option(names = "--stop-grace", paramLabel = "DURATION", converter = RemoteCallOptions.DurationConverter.class,
            description = "On SIGTERM or SIGINT, how long the requests in flight may finish before they are cut off; "
                    + "what finished is written, then the summary, and the exit code is 143 or 130; 0s..1h "
                    + "(default: 10s).")
    Duration grace;

    /** The run's stop signal, wired to SIGTERM and SIGINT when the process runs from {@code main}. */
    StopSignal signal(CommandLine.Model.CommandSpec spec) {
        try {
            return ShutdownStop.signal(grace == null ? StopSignal.DEFAULT_GRACE : grace);
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    new ValidationException("--stop-grace", e.value(), e.rule()).getMessage());
        }
    }
}
