package dev.parallelrag.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider failed the request: an HTTP error status, a connection error, or a response we could not
 * use (malformed JSON, a truncated stream, the wrong number of items). Carries the status (0 when no
 * HTTP response arrived), a short excerpt of the response body, and whether another attempt can help.
 */
public final class ProviderException extends ParallelRagException {

    /** Longest body excerpt kept, so a huge error page never floods logs or messages. */
    public static final int MAX_EXCERPT = 300;

    private final int status;
    private final String bodyExcerpt;
    private final boolean retryable;
    private final Duration retryAfter;

    public ProviderException(String message, int status, String body, boolean retryable) {
        this(message, status, body, retryable, null);
    }

    public ProviderException(String message, int status, String body, boolean retryable, Throwable cause) {
        this(message, status, body, retryable, null, cause);
    }

    /** With the wait the provider asked for ({@code Retry-After} on a 503, say), or null. */
    public ProviderException(String message, int status, String body, boolean retryable, Duration retryAfter,
                             Throwable cause) {
        super(message + excerptSuffix(body), cause);
        this.status = status;
        this.bodyExcerpt = excerpt(body);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** The wait the provider asked for, if it said one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String excerptSuffix(String body) {
        String e = excerpt(body);
        return e.isEmpty() ? "" : " (response: " + e + ")";
    }

    /** The first {@value #MAX_EXCERPT} characters of a body on one line. */
    public static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_EXCERPT ? oneLine : oneLine.substring(0, MAX_EXCERPT) + "...";
    }

    /** The HTTP status, or 0 when the failure happened before any response (connection reset, refused). */
    public int status() {
        return status;
    }

    public String bodyExcerpt() {
        return bodyExcerpt;
    }

    /** True when another attempt may succeed (connection errors, 408, 5xx and overload codes). */
    public boolean retryable() {
        return retryable;
    }

    /**
     * What went wrong, judged by the status: a request the provider found malformed or too large (400, 413, 422)
     * is {@link ErrorKind#VALIDATION}, a request timeout (408) is {@link ErrorKind#TIMEOUT}, any other 4xx
     * (404 for an unknown model, 409, ...) is {@link ErrorKind#OTHER}, and server-side and transport failures are
     * {@link ErrorKind#SERVER}.
     */
    @Override
    public ErrorKind kind() {
        return switch (status) {
            case 400, 413, 422 -> ErrorKind.VALIDATION;
            case 408 -> ErrorKind.TIMEOUT;
            default -> status >= 400 && status < 500 ? ErrorKind.OTHER : ErrorKind.SERVER;
        };
    }
}
