package dev.parallelrag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallelrag.error.StoppedException;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.stats.ClientStats;
import java.util.function.BiConsumer;
import java.util.concurrent.CompletionException;

/**
 * Writes each item's line of {@code complete} and {@code embed}, in input order, and counts them for the summary:
 * reused from {@code --retry-failed}, succeeded, failed, or not run because the run was stopped.
 */
final class RunTally {

    private final ResultWriter writer;
    private final PreviousResults previous;
    private long items;
    private long succeeded;
    private long failed;
    private long notRun;
    private long reused;

    RunTally(ResultWriter writer, PreviousResults previous) {
        this.writer = writer;
        this.previous = previous;
    }

    /** Whether the item needs to run: it is valid and has no success in the {@code --retry-failed} file. */
    boolean toRun(InputItem item) {
        return item.valid() && previous.answer(item) == null;
    }

    /** Writes the item's line: its earlier success, its validation error, or the outcome of running it. */
    <T> void write(InputItem item, Outcome<T> outcome, BiConsumer<JsonNode, T> success) {
        items++;
        String earlier = previous.answer(item);
        if (earlier != null) {
            writer.reused(earlier);
            succeeded++;
            reused++;
        } else if (!item.valid()) {
            writer.error(item.id(), "validation", item.problem());
            failed++;
        } else {
            switch (outcome) {
                case Outcome.Success<T> s -> {
                    success.accept(item.id(), s.value());
                    succeeded++;
                }
                case Outcome.Failure<T> f -> {
                    writer.error(item.id(), f.error());
                    if (unwrap(f.error()) instanceof StoppedException) {
                        notRun++;
                    } else {
                        failed++;
                    }
                }
            }
        }
    }

    /** Exit code: 143 when stopped, 0 when every item succeeded, else 1. */
    int exitCode(boolean stopped) {
        return stopped ? CliErrors.TERMINATED : succeeded == items ? 0 : CliErrors.FAILURE;
    }

    RunSummary summary(String command, boolean stopped, long wallMillis, ClientStats client) {
        return new RunSummary(command, items, succeeded, failed, notRun, reused, stopped, wallMillis, client);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
