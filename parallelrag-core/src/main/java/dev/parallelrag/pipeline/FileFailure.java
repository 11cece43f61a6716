package dev.parallelrag.pipeline;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import java.util.Objects;

/**
 * A file that could not be ingested, and why.
 *
 * @param source  the path as ingested
 * @param stage   where it failed: {@code read}, {@code split}, {@code embed} or {@code write}
 * @param kind    the error kind
 * @param message what happened and what to do
 */
public record FileFailure(String source, String stage, ErrorKind kind, String message) {
    public FileFailure {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    static FileFailure of(String source, String stage, Throwable error) {
        ErrorKind kind = error instanceof ParallelRagException p ? p.kind() : ErrorKind.OTHER;
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (!message.contains(source)) {
            message = source + ": " + stage + " failed: " + message; // every report names its file
        }
        return new FileFailure(source, stage, kind, message);
    }
}
