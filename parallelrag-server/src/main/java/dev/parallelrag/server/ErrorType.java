package dev.parallelrag.server;

/**
 * The {@code type} values of the error shape {@code {"error":{"type","message","field"?}}}: a closed set a client can
 * switch on, each with the one status it is sent with.
 */
public final class ErrorType {

    /** 400: a value of the request breaks a rule; {@code field} names it. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** 401: no API key, or not a key of this server. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** 404: no such route, job or document. */
    public static final String NOT_FOUND = "not_found";
    /** 405: the route exists, but not with this method. */
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    /** 409: the request conflicts with the state it acts on. */
    public static final String CONFLICT = "conflict";
    /** 413: the request body is over the limit. */
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    /** 429: over a rate or concurrency limit (this server's for the key, or the LLM provider's); see {@code Retry-After}. */
    public static final String RATE_LIMITED = "rate_limited";
    /** 500: a fault of the server; the log has the details, the answer none. */
    public static final String INTERNAL = "internal";
    /** 502: the LLM or embedding provider failed or refused the server's credentials. */
    public static final String PROVIDER_ERROR = "provider_error";
    /** 503: the engine cannot serve now (not loaded, closed, no index, a provider's circuit open, a full disk). */
    public static final String UNAVAILABLE = "unavailable";
    /** 504: the LLM or embedding provider did not answer in time. */
    public static final String PROVIDER_TIMEOUT = "provider_timeout";

    private ErrorType() {
    }
}
