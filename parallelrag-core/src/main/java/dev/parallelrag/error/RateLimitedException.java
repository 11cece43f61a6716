package dev.parallelrag.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider answered HTTP 429, or a local requests/tokens-per-minute limit could not be met. Each attempt
 * raises one; the caller sees the last, once the retries are used up. {@link #retryAfter()} is the wait the
 * provider asked for, when it said one.
 */
public final class RateLimitedException extends ParallelRagException {

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** The wait the provider asked for via {@code Retry-After} or {@code x-ratelimit-reset-*}, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.RATE_LIMITED;
    }
}
