package dev.parallelrag.server.auth;

import dev.parallelrag.error.ValidationException;

/**
 * What the server knows of one API key besides its hash: a label for logs and errors, and the key's own limits.
 *
 * @param name        the key's label ({@code name=} in the keys file, else {@code key-N} for the N-th key); never the key
 * @param rpm         requests a minute this key may start, 0 for no limit
 * @param concurrency requests of this key that may run at once, 0 for no limit
 */
public record ClientKey(String name, int rpm, int concurrency) {

    /** The largest {@code rpm}: beyond it a limit no longer limits anything a server can serve. */
    public static final int MAX_RPM = 1_000_000;
    /** The largest {@code concurrency}. */
    public static final int MAX_CONCURRENCY = 100_000;

    public ClientKey {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ValidationException("name", name, "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (rpm < 0 || rpm > MAX_RPM) {
            throw new ValidationException("rpm", rpm, "must be between 1 and " + MAX_RPM + " (0 or none: no limit)");
        }
        if (concurrency < 0 || concurrency > MAX_CONCURRENCY) {
            throw new ValidationException("concurrency", concurrency, "must be between 1 and " + MAX_CONCURRENCY
                    + " (0 or none: no limit)");
        }
    }
}
