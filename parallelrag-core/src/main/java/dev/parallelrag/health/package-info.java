/**
 * Health checks: a component reports healthy, degraded or unhealthy and why ({@code Health}), and {@code
 * HealthRegistry} gathers the runtime, providers and store into one answer.
 */
package dev.parallelrag.health;
