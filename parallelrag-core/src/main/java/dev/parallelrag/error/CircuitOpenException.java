package dev.parallelrag.error;

import java.time.Duration;

/**
 * The circuit breaker of an endpoint is open after repeated failures, and stayed open for as long as the call
 * was allowed to wait for it ({@link #waited()}, the client's {@code outageWait}), so the call failed without
 * reaching the provider. Try again after {@link #retryAfter()}, or check the provider's status.
 */
public final class CircuitOpenException extends ParallelRagException {

    private final String endpoint;
    private final Duration retryAfter;

    private final Duration waited;

    public CircuitOpenException(String endpoint, Duration retryAfter, Duration waited) {
        super("circuit breaker for " + endpoint + " is open after repeated failures"
                + (waited.isZero() ? "" : " and stayed open through the " + waited.toSeconds() + " s this call may wait (outageWait)")
                + "; probe requests are let through in about " + Math.max(0, retryAfter.toSeconds()) + " s."
                + " Check the provider's status or the base URL; then re-run the failed items, or allow a longer outageWait.");
        this.endpoint = endpoint;
        this.retryAfter = retryAfter;
        this.waited = waited;
    }

    /** How long the call waited for the breaker before it gave up (zero: it was set to fail fast). */
    public Duration waited() {
        return waited;
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
