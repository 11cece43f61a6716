package dev.parallelrag.bench.server;

/**
 * What one SSE answer stream did.
 *
 * @param firstEventNanos nanoseconds from sending the request to the first {@code data:} event, or -1 if none came
 * @param totalNanos      nanoseconds from sending the request to the end of the stream (or to the failure)
 * @param events          {@code data:} events received, {@code [DONE]} included
 * @param error           why the stream is not a correct answer, or {@code null} when it is
 */
record StreamResult(long firstEventNanos, long totalNanos, int events, String error) {

    boolean ok() {
        return error == null;
    }
}
