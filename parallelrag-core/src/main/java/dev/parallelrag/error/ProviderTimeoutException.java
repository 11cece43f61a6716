package dev.parallelrag.error;

import java.time.Duration;

/**
 * A call took longer than one of its timeouts: the attempt timeout, the connect timeout, or a stream's
 * idle timeout or deadline. Retryable, except a stream that already delivered text (another attempt would
 * repeat it).
 */
public final class ProviderTimeoutException extends ParallelRagException {

    private final Duration timeout;
    private final boolean retryable;

    public ProviderTimeoutException(String message, Duration timeout, Throwable cause) {
        this(message, timeout, true, cause);
    }

    public ProviderTimeoutException(String message, Duration timeout, boolean retryable, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
        this.retryable = retryable;
    }

    /** Whether another attempt may help. */
    public boolean retryable() {
        return retryable;
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
