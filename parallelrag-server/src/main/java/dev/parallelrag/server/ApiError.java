package dev.parallelrag.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One error answer: its status, the {@code Retry-After} it carries (if any) and the body every failure has,
 * {@code {"error":{"type","message","field"?}}}. {@link ErrorMapper} makes one from any exception.
 *
 * @param status     HTTP status, 400..599
 * @param type       one of {@link ErrorType}'s values
 * @param message    what went wrong and what to do; sent to the client
 * @param field      the request field at fault, or null
 * @param retryAfter the wait to send as {@code Retry-After}, or null
 */
public record ApiError(int status, String type, String message, String field, Duration retryAfter) {

    /** The JSON body: {@code {"error":{"type":..,"message":..,"field":..}}}, {@code field} only when there is one. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return Map.of("error", error);
    }

    /** {@code Retry-After} in whole seconds, rounded up and at least 1 (the header takes no fractions). */
    public Optional<String> retryAfterHeader() {
        if (retryAfter == null) {
            return Optional.empty();
        }
        long millis = Math.max(0, retryAfter.toMillis());
        return Optional.of(Long.toString(Math.max(1, (millis + 999) / 1000)));
    }
}
