package dev.parallelrag.error;

import java.time.Duration;

/**
 * The circuit breaker of an endpoint is open after repeated failures, so the call failed fast without
 * reaching the provider. Try again after {@link #retryAfter()}, or check the provider's status.
 */
public final class CircuitOpenException extends ParallelRagException {

    private final String endpoint;
    private final Duration retryAfter;

    public CircuitOpenException(String endpoint, Duration retryAfter) {
        super("circuit breaker for " + endpoint + " is open after repeated failures; calls fail fast for about "
                + Math.max(0, retryAfter.toSeconds()) + " s more, then a few probe requests are let through."
                + " Check the provider's status or the base URL, or wait and retry.");
        this.endpoint = endpoint;
        this.retryAfter = retryAfter;
    }

    /** The endpoint whose breaker is open, e.g. {@code openai chat http://host/v1/chat/completions}. */
    public String endpoint() {
        return endpoint;
    }

    /** Roughly how long until the breaker lets probes through (zero when it is already half-open and full). */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CIRCUIT_OPEN;
    }
}
