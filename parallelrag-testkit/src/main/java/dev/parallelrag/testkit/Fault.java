package dev.parallelrag.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that goes wrong with one request. Immutable: the {@code with...}-style methods return a copy.
 *
 * <pre>{@code
 * Fault.status(429).retryAfterSeconds(1)     // 429, provider-shaped error body, Retry-After: 1
 * Fault.status(529)                          // Anthropic "overloaded_error" (other providers get the same status)
 * Fault.connectionReset()                    // socket closed before any response byte
 * Fault.stall()                              // no response for 10 minutes (interrupted by server.close())
 * Fault.stallMidStream()                     // the first half of the events (or body), then silence for 10 minutes
 * Fault.malformedJson()                      // 200 with a body that is not valid JSON
 * Fault.truncatedStream()                    // response cut mid-way: the connection closes before the end
 * Fault.wrongItemCount()                     // embeddings: one vector too few (two for one input); chat: no choices
 * }</pre>
 *
 * @param kind              what happens
 * @param status            HTTP status for {@link Kind#STATUS}, else 0
 * @param retryAfterSeconds value of a {@code Retry-After: <seconds>} header, or -1 for none
 * @param retryAfterDate    when set, a {@code Retry-After: <HTTP-date>} header this far in the future
 * @param rateLimitReset    when set, OpenAI's {@code x-ratelimit-reset-requests} and {@code -tokens} headers
 * @param stallFor          how long {@link Kind#STALL} and {@link Kind#STALL_MID_STREAM} wait before closing the connection
 * @param message           error message in the body, or null for the provider's usual text
 * @param headers           extra response headers
 */
public record Fault(Kind kind, int status, long retryAfterSeconds, Duration retryAfterDate, Duration rateLimitReset,
                    Duration stallFor, String message, Map<String, String> headers) {

    /** The kinds of fault. */
    public enum Kind { NONE, STATUS, CONNECTION_RESET, STALL, STALL_MID_STREAM, MALFORMED_JSON, TRUNCATED_STREAM,
        WRONG_ITEM_COUNT }

    private static final Duration DEFAULT_STALL = Duration.ofMinutes(10);

    public Fault {
        Objects.requireNonNull(kind, "kind");
        headers = Map.copyOf(headers);
    }

    /** No fault: the request is served normally. */
    public static Fault none() {
        return of(Kind.NONE, 0);
    }

    /** An HTTP error status (400 to 599) with the provider's error JSON. */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("fault status must be 400..599, got " + status);
        }
        return of(Kind.STATUS, status);
    }

    /** Shorthand for {@code status(429).retryAfterSeconds(seconds)}. */
    public static Fault rateLimited(long retryAfterSeconds) {
        return status(429).retryAfterSeconds(retryAfterSeconds);
    }

    /** The connection is closed before any response byte is sent: the client sees EOF / connection reset. */
    public static Fault connectionReset() {
        return of(Kind.CONNECTION_RESET, 0);
    }

    /** No response for 10 minutes, then the connection closes; {@code server.close()} ends it at once. */
    public static Fault stall() {
        return of(Kind.STALL, 0);
    }

    /** No response for {@code duration}, then the connection closes. */
    public static Fault stall(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("stall duration must be a non-negative Duration, got " + duration);
        }
        return new Fault(Kind.STALL, 0, -1, null, null, duration, null, Map.of());
    }

    /**
     * The response starts normally, then goes silent for 10 minutes with the connection open (then it
     * closes): a stream sends the first half of its events (at least one), a JSON reply the first half of
     * its body. {@code server.close()} ends it at once. This is a provider that hangs mid-answer.
     */
    public static Fault stallMidStream() {
        return of(Kind.STALL_MID_STREAM, 0);
    }

    /** Like {@link #stallMidStream()}, silent for {@code duration}. */
    public static Fault stallMidStream(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("stall duration must be a non-negative Duration, got " + duration);
        }
        return new Fault(Kind.STALL_MID_STREAM, 0, -1, null, null, duration, null, Map.of());
    }

    /** A 200 response whose body (or, for streams, one event) is cut-off JSON. */
    public static Fault malformedJson() {
        return of(Kind.MALFORMED_JSON, 0);
    }

    /** The response starts normally and the connection closes half-way (streams: mid-event, no end marker). */
    public static Fault truncatedStream() {
        return of(Kind.TRUNCATED_STREAM, 0);
    }

    /** A 200 response with the wrong number of items (embeddings) or no choices (chat). */
    public static Fault wrongItemCount() {
        return of(Kind.WRONG_ITEM_COUNT, 0);
    }

    private static Fault of(Kind kind, int status) {
        return new Fault(kind, status, -1, null, null, DEFAULT_STALL, null, Map.of());
    }

    /** Adds {@code Retry-After: <seconds>}. */
    public Fault retryAfterSeconds(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0, got " + seconds);
        }
        return new Fault(kind, status, seconds, null, rateLimitReset, stallFor, message, headers);
    }

    /** Adds {@code Retry-After: <HTTP-date>} set {@code fromNow} ahead (HTTP dates have 1 s resolution). */
    public Fault retryAfterDate(Duration fromNow) {
        Objects.requireNonNull(fromNow, "fromNow");
        return new Fault(kind, status, -1, fromNow, rateLimitReset, stallFor, message, headers);
    }

    /** Adds OpenAI's {@code x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens} (e.g. "1.5s"). */
    public Fault rateLimitReset(Duration reset) {
        Objects.requireNonNull(reset, "reset");
        return new Fault(kind, status, retryAfterSeconds, retryAfterDate, reset, stallFor, message, headers);
    }

    /** Uses this message in the error body. */
    public Fault message(String text) {
        return new Fault(kind, status, retryAfterSeconds, retryAfterDate, rateLimitReset, stallFor, text, headers);
    }

    /** Adds a response header. */
    public Fault header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Fault(kind, status, retryAfterSeconds, retryAfterDate, rateLimitReset, stallFor, message, h);
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** A short label, also stored in {@link RecordedRequest#outcome()}. */
    public String label() {
        return switch (kind) {
            case NONE -> "ok";
            case STATUS -> "status " + status;
            case CONNECTION_RESET -> "connection_reset";
            case STALL -> "stall";
            case STALL_MID_STREAM -> "stall_mid_stream";
            case MALFORMED_JSON -> "malformed_json";
            case TRUNCATED_STREAM -> "truncated_stream";
            case WRONG_ITEM_COUNT -> "wrong_item_count";
        };
    }

    @Override
    public String toString() {
        return "Fault[" + label() + (retryAfterSeconds >= 0 ? ", retry-after " + retryAfterSeconds + "s" : "")
                + (retryAfterDate != null ? ", retry-after date +" + retryAfterDate : "") + "]";
    }
}
