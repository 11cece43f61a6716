package dev.parallelrag.error;

import java.util.Locale;

/** The closed set of failure kinds reported in stats, JSON output and metrics tags. */
public enum ErrorKind {
    VALIDATION, AUTH, RATE_LIMITED, TIMEOUT, SERVER, CIRCUIT_OPEN, STORE, OTHER;

    /** The wire name used in JSON output and metric tags, e.g. {@code rate_limited}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
