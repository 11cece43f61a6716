package dev.parallelrag.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.parallelrag.error.AuthenticationException;
import dev.parallelrag.error.CircuitOpenException;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.error.DiskFullException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.StoppedException;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place an exception becomes an answer: every route's failure, the engine's typed errors
 * ({@code dev.parallelrag.error.*}), Javalin's own (no such route, wrong method, body too large) and a malformed JSON
 * body each get their status and the one error shape ({@link ApiError}). Anything else is a fault of the server: 500,
 * with an error id in the answer and the stack trace only in the log.
 *
 * <p>A route that streams (server-sent events) and fails after the stream began can no longer change the status;
 * it sends {@link #toError} as its last event instead.
 */
public final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    /** The answer for {@code e}; a server fault is logged here with its stack trace and an id the answer names. */
    public static ApiError toError(Throwable e) {
        return switch (e) {
            case ApiException a -> new ApiError(a.status(), a.type(), a.getMessage(), a.field().orElse(null),
                    a.retryAfter().orElse(null));
            case ValidationException v -> new ApiError(400, ErrorType.INVALID_REQUEST, v.getMessage(), v.field(), null);
            case JsonProcessingException j -> invalidJson(j);
            case RateLimitedException r -> new ApiError(429, ErrorType.RATE_LIMITED, "the provider is rate limiting this"
                    + " server: " + r.getMessage(), null, r.retryAfter().orElse(null));
            case CircuitOpenException c -> new ApiError(503, ErrorType.UNAVAILABLE, c.getMessage(), null, c.retryAfter());
            case ProviderTimeoutException t -> new ApiError(504, ErrorType.PROVIDER_TIMEOUT, t.getMessage(), null, null);
            case AuthenticationException a -> new ApiError(502, ErrorType.PROVIDER_ERROR, "the provider refused this"
                    + " server's credentials: " + a.getMessage(), null, null);
            case ProviderException p -> new ApiError(502, ErrorType.PROVIDER_ERROR, p.getMessage(), null,
                    p.retryAfter().orElse(null));
            case ClosedException c -> new ApiError(503, ErrorType.UNAVAILABLE, "the server is shutting down: "
                    + c.getMessage(), null, null);
            case StoppedException s -> new ApiError(503, ErrorType.UNAVAILABLE, s.getMessage(), null, null);
            case DiskFullException d -> new ApiError(503, ErrorType.UNAVAILABLE, d.getMessage(), null, null);
            case StoreException s -> new ApiError(503, ErrorType.UNAVAILABLE, s.getMessage(), null, null);
            case HttpResponseException h -> fromJavalin(h);
            default -> internal(e);
        };
    }

    private static ApiError invalidJson(JsonProcessingException j) {
        String field = j instanceof JsonMappingException m && !m.getPath().isEmpty() ? path(m) : null;
        String where = j.getLocation() == null ? ""
                : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        return new ApiError(400, ErrorType.INVALID_REQUEST, "the request body is not the JSON this route takes: "
                + j.getOriginalMessage() + where, field, null);
    }

    /** The JSON path of a mapping error, as {@code messages[2].role}. */
    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static ApiError fromJavalin(HttpResponseException h) {
        int status = h.getStatus();
        String type = switch (status) {
            case 400 -> ErrorType.INVALID_REQUEST;
            case 401 -> ErrorType.UNAUTHORIZED;
            case 404 -> ErrorType.NOT_FOUND;
            case 405 -> ErrorType.METHOD_NOT_ALLOWED;
            case 409 -> ErrorType.CONFLICT;
            case 413 -> ErrorType.PAYLOAD_TOO_LARGE;
            case 429 -> ErrorType.RATE_LIMITED;
            case 503 -> ErrorType.UNAVAILABLE;
            default -> status >= 500 ? ErrorType.INTERNAL : ErrorType.INVALID_REQUEST;
        };
        String message = switch (status) {
            case 404 -> "no such route; GET /openapi.json lists them";
            case 405 -> "this route does not take that method; GET /openapi.json lists the methods of each route";
            case 413 -> "the request body is larger than this server takes (ServerConfig.maxJsonBodyBytes)";
            default -> h.getMessage() == null || h.getMessage().isBlank() ? "HTTP " + status : h.getMessage();
        };
        return new ApiError(status < 400 ? 500 : status, type, message, null, null);
    }

    private static ApiError internal(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        LOG.error("request failed with an unexpected error (error id {})", id, e);
        return new ApiError(500, ErrorType.INTERNAL, "the server failed on this request (error id " + id
                + "); its log has the details", null, null);
    }
}
