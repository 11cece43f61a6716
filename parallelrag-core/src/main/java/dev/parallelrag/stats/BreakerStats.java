package dev.parallelrag.stats;

/**
 * The circuit breaker as seen by stats.
 *
 * @param state       {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} (or another Resilience4j state)
 * @param transitions state changes since the client was created (not cleared by {@code resetStats()},
 *                    like the breaker itself)
 */
public record BreakerStats(String state, long transitions) {

    public boolean isOpen() {
        return "OPEN".equals(state) || "FORCED_OPEN".equals(state);
    }
}
