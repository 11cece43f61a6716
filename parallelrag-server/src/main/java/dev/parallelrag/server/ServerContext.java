package dev.parallelrag.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.runtime.StopSignal;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every {@link ServerRoutes} gets: the engine it serves (given to the server, never opened or closed by a
 * route), the server's settings, the JSON mapper the server writes with, the meter registry to bind meters to, and the
 * stop signal the server stops when it closes (long work such as an ingest job stops with it, in order).
 */
public final class ServerContext {

    private final ParallelRag engine;
    private final ServerConfig config;
    private final ObjectMapper json;
    private final MeterRegistry meterRegistry;
    private final StopSignal stop;
    private final WarmUp warmUp;

    ServerContext(ParallelRag engine, ServerConfig config, ObjectMapper json, MeterRegistry meterRegistry, StopSignal stop,
                  WarmUp warmUp) {
        this.engine = engine;
        this.config = config;
        this.json = json;
        this.meterRegistry = meterRegistry;
        this.stop = stop;
        this.warmUp = warmUp;
    }

    public ParallelRag engine() {
        return engine;
    }

    public ServerConfig config() {
        return config;
    }

    /** The mapper behind {@code ctx.json(..)} and {@code ctx.bodyAsClass(..)}. */
    public ObjectMapper json() {
        return json;
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Stopped when the server closes, before the route sets are closed. */
    public StopSignal stopSignal() {
        return stop;
    }

    WarmUp warmUp() {
        return warmUp;
    }
}
