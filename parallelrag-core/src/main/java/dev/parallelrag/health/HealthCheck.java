package dev.parallelrag.health;

/** Anything that can report its health: a client, a store, the runtime. */
@FunctionalInterface
public interface HealthCheck {
    Health health();
}
