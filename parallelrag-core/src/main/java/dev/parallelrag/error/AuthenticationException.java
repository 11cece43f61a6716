package dev.parallelrag.error;

/**
 * The provider rejected the credentials (HTTP 401/403), or no API key was configured. Never retried.
 * The message names the environment variable or setting that holds the key, never the key itself.
 */
public final class AuthenticationException extends ParallelRagException {

    private final String provider;
    private final int status;

    public AuthenticationException(String provider, int status, String message) {
        super(message);
        this.provider = provider;
        this.status = status;
    }

    /** The provider name, e.g. {@code openai}. */
    public String provider() {
        return provider;
    }

    /** The HTTP status (401 or 403), or 0 when the key was missing before any request was made. */
    public int status() {
        return status;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.AUTH;
    }
}
