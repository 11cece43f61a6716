package dev.parallelrag.health;

import java.util.Map;
import java.util.Objects;

/**
 * The health of one component with the reason for it.
 *
 * @param component name, e.g. {@code llm:openai/gpt-4o-mini}
 * @param status    UP, DEGRADED or DOWN
 * @param reason    why, in words a person can act on
 * @param details   figures behind the verdict (success rate, p95, breaker state)
 */
public record Health(String component, HealthStatus status, String reason, Map<String, Object> details) {

    public Health {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        details = Map.copyOf(details);
    }

    public static Health up(String component, String reason) {
        return new Health(component, HealthStatus.UP, reason, Map.of());
    }

    public static Health down(String component, String reason) {
        return new Health(component, HealthStatus.DOWN, reason, Map.of());
    }
}
