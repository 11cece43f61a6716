package dev.parallelrag.testkit;

/** A request the fake provider refuses, rendered in the provider's own error format. */
final class ApiError extends Exception {

    private final int status;
    private final String outcome;

    ApiError(int status, String outcome, String message) {
        super(message, null, false, false);
        this.status = status;
        this.outcome = outcome;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    int status() {
        return status;
    }

    String outcome() {
        return outcome;
    }
}
