package dev.parallelrag.error;

import java.time.Duration;

/** One attempt took longer than the configured per-attempt (or connect) timeout. Retryable. */
public final class ProviderTimeoutException extends ParallelRagException {

    private final Duration timeout;

    public ProviderTimeoutException(String message, Duration timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.TIMEOUT;
    }
}
