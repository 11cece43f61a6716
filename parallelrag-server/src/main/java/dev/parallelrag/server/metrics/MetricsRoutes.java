package dev.parallelrag.server.metrics;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.server.Routes;
import dev.parallelrag.server.ServerContext;
import dev.parallelrag.server.ServerRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * {@code GET /metrics} on the management surface (no key; the management port when one is set): the Prometheus text
 * format of the server's registry, which must be a {@link PrometheusMeterRegistry} or a composite holding one. Binds
 * the JVM's meters (memory, GC, threads, class loading, uptime) to it too. Not Micrometer's {@code ProcessorMetrics}:
 * its {@code process_cpu_time_ns_total} and {@code system_cpu_count} break Prometheus's naming rules, which
 * {@code promtool check metrics} enforces.
 */
public final class MetricsRoutes implements ServerRoutes {

    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private JvmGcMetrics gc;

    @Override
    public void register(Routes routes, ServerContext context) {
        MeterRegistry registry = context.meterRegistry();
        PrometheusMeterRegistry prometheus = prometheusOf(registry).orElseThrow(() -> new ValidationException(
                "meterRegistry", registry.getClass().getSimpleName(), "cannot be scraped by GET /metrics; give the"
                + " server a PrometheusMeterRegistry, or a CompositeMeterRegistry that holds one"));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        routes.management().get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(prometheus.scrape()));
    }

    /** The registry itself when it is a Prometheus one, else the first Prometheus registry a composite holds. */
    static Optional<PrometheusMeterRegistry> prometheusOf(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return Optional.of(p);
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                Optional<PrometheusMeterRegistry> found = prometheusOf(member);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close(); // it listens to the JVM's GC notifications until closed
        }
    }
}
