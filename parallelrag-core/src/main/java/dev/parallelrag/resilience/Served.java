package dev.parallelrag.resilience;

import java.time.Duration;

/**
 * A request a client answered: the value, the attempts it took (at every failover candidate together), how long it
 * took end to end (retries, waits and failovers included) and which candidate gave it, as {@code provider:model}.
 */
public record Served<T>(T value, int attempts, Duration latency, String servedBy) {
}
