package dev.parallelrag.server;

import java.time.Duration;
import java.util.Optional;

/**
 * A request the server answers with an error of its own, in the one error shape
 * {@code {"error":{"type","message","field"?}}}: what a route throws for a status that no engine exception says (an
 * unknown job, a conflict). Errors of the engine ({@code dev.parallelrag.error.*}) need no wrapping: throw them as they
 * are and {@link ErrorMapper} gives each its status.
 *
 * <p>The message is sent to the client: it says what was wrong and what to do, and never holds a key or a stack trace.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String field;
    private final Duration retryAfter;

    public ApiException(int status, String type, String message, String field, Duration retryAfter) {
        super(message, null, false, false); // an answer, not a failure of the server: no stack trace to keep
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 400..599, not " + status);
        }
        this.status = status;
        this.type = type;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** 400: a value of the request breaks a rule; {@code field} names it (e.g. {@code k}, {@code messages[2].role}). */
    public static ApiException invalid(String field, String message) {
        return new ApiException(400, ErrorType.INVALID_REQUEST, message, field, null);
    }

    /** 404: what the request names does not exist (a job, a document). */
    public static ApiException notFound(String message) {
        return new ApiException(404, ErrorType.NOT_FOUND, message, null, null);
    }

    /** 409: the request conflicts with the state it acts on (a job that already finished). */
    public static ApiException conflict(String message) {
        return new ApiException(409, ErrorType.CONFLICT, message, null, null);
    }

    /** 413: the request body is larger than the server takes. */
    public static ApiException tooLarge(String message) {
        return new ApiException(413, ErrorType.PAYLOAD_TOO_LARGE, message, null, null);
    }

    /** 429 with {@code Retry-After}: the caller must slow down. */
    public static ApiException rateLimited(String message, Duration retryAfter) {
        return new ApiException(429, ErrorType.RATE_LIMITED, message, null, retryAfter);
    }

    /** 503: the server cannot serve this now (not ready, shutting down); {@code retryAfter} may be null. */
    public static ApiException unavailable(String message, Duration retryAfter) {
        return new ApiException(503, ErrorType.UNAVAILABLE, message, null, retryAfter);
    }

    public int status() {
        return status;
    }

    /** The error's {@code type}, one of {@link ErrorType}'s names. */
    public String type() {
        return type;
    }

    /** The request field at fault, if the error is about one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** How long the client should wait before it tries again, sent as {@code Retry-After}. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
