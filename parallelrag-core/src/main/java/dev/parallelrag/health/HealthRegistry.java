package dev.parallelrag.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-level health: the components registered here (clients, stores, the runtime), checked on each
 * call of {@link #health()}. The overall status is the worst component's; with no components it is UP.
 * Use {@link #process()} for the shared instance of the process, or create your own.
 */
public final class HealthRegistry {

    private static final HealthRegistry PROCESS = new HealthRegistry();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();

    /** The shared registry of this JVM. Components are registered by the code that creates them. */
    public static HealthRegistry process() {
        return PROCESS;
    }

    /** Registers (or replaces) a component's check under a name. */
    public HealthRegistry register(String name, HealthCheck check) {
        checks.put(name, check);
        return this;
    }

    public void unregister(String name) {
        checks.remove(name);
    }

    /** Removes a component's check only if it is still {@code check} (another may have replaced it since). */
    public void unregister(String name, HealthCheck check) {
        checks.remove(name, check);
    }

    /** The names registered now, sorted. */
    public List<String> names() {
        return checks.keySet().stream().sorted().toList();
    }

    /** Overall status with each component's health, components sorted by name. */
    public Report health() {
        List<Health> parts = new ArrayList<>();
        for (String name : names()) {
            HealthCheck check = checks.get(name);
            if (check == null) {
                continue;
            }
            Health h;
            try {
                h = check.health();
            } catch (RuntimeException e) {
                h = Health.down(name, "health check failed: " + e.getMessage());
            }
            parts.add(new Health(name, h.status(), h.reason(), h.details()));
        }
        return Report.of(parts);
    }

    /** The aggregate verdict: the worst component's status (UP with none), and every component's health. */
    public record Report(HealthStatus status, List<Health> components) {

        public Report {
            components = List.copyOf(components);
        }

        /** The report of these components, its status the worst of theirs. */
        public static Report of(List<Health> components) {
            HealthStatus overall = HealthStatus.UP;
            for (Health h : components) {
                overall = overall.worst(h.status());
            }
            return new Report(overall, components);
        }

        /** The component of that name, if the report holds one. */
        public java.util.Optional<Health> component(String name) {
            return components.stream().filter(h -> h.component().equals(name)).findFirst();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", status.name());
            Map<String, Object> comps = new LinkedHashMap<>();
            for (Health h : components) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("status", h.status().name());
                c.put("reason", h.reason());
                c.put("details", h.details());
                comps.put(h.component(), c);
            }
            m.put("components", comps);
            return m;
        }

        /** One-line JSON: {@code {"status":"UP","components":{"name":{"status":..,"reason":..,"details":{..}}}}}. */
        public String toJson() {
            try {
                return JSON.writeValueAsString(toMap());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("health could not be written as JSON", e);
            }
        }
    }
}
