package dev.parallelrag.resilience;

import java.time.Duration;

/**
 * Implemented by models that know good resilience settings for themselves (remote provider models, the
 * local ONNX model), so a client wrapping them picks those up without being told twice.
 */
public interface ResilienceDefaults {

    /** The settings a client uses when its builder is given none; by default {@link ResilienceConfig#defaults()}. */
    default ResilienceConfig resilienceConfig() {
        return ResilienceConfig.defaults();
    }

    /**
     * The attempt timeout used whenever the settings leave it unset, whatever else they change: 60 s for the
     * hosted APIs, 180 s for Ollama (a local model may load first), 120 s for other endpoints.
     */
    default Duration defaultAttemptTimeout() {
        return ResilienceConfig.DEFAULT_ATTEMPT_TIMEOUT;
    }
}
