package dev.parallelrag.health;

/** Health of a component, from best to worst. */
public enum HealthStatus {
    UP, DEGRADED, DOWN;

    /** The worse of the two. */
    public HealthStatus worst(HealthStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
