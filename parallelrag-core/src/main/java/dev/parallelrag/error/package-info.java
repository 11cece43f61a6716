/**
 * The typed error hierarchy under {@code ParallelRagException}: validation, authentication, rate limiting,
 * timeouts, provider failures, an open circuit, store failures, a full disk and a closed component, each with
 * an {@code ErrorKind} and a message that says what to do. No message ever contains an API key.
 */
package dev.parallelrag.error;
