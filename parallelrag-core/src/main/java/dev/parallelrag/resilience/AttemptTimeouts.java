package dev.parallelrag.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The timeouts of the attempt running on this thread, published by the client's {@link ResilientExecutor}
 * for the model it calls (the way a gRPC deadline travels in its context).
 *
 * <p>Why a context and not a parameter: the client owns the effective values (it resolves them once from
 * its settings and the model's defaults), but only the model's I/O layer can enforce them well, by cutting
 * the HTTP exchange rather than interrupting the caller's thread, which may be running the caller's own
 * code. The model interfaces stay plain ({@code chat(request)}, {@code embedBatch(texts)}). A model called
 * outside a client finds no context and uses its own defaults.
 *
 * @param attempt        longest one attempt may take: the whole response, or for a stream its first byte
 * @param streamIdle     longest silence between two events of a stream
 * @param streamDeadline longest a whole stream may take
 */
public record AttemptTimeouts(Duration attempt, Duration streamIdle, Duration streamDeadline) {

    private static final ThreadLocal<AttemptTimeouts> CURRENT = new ThreadLocal<>();

    public AttemptTimeouts {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(streamIdle, "streamIdle");
        Objects.requireNonNull(streamDeadline, "streamDeadline");
    }

    /** The timeouts of a resolved config; an unset attempt timeout becomes {@code modelDefault}. */
    public static AttemptTimeouts of(ResilienceConfig config, Duration modelDefault) {
        return new AttemptTimeouts(config.attemptTimeout().orElse(modelDefault), config.streamIdleTimeout(),
                config.streamDeadline());
    }

    /** The timeouts of the attempt running on this thread, if a client runs one. */
    public static Optional<AttemptTimeouts> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Runs {@code body} with these timeouts as the current ones, restoring the previous afterwards. */
    <T> T run(Callable<T> body) throws Exception {
        AttemptTimeouts previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
