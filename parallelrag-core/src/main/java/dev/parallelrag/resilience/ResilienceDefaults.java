package dev.parallelrag.resilience;

/**
 * Implemented by models that know their provider's resilience settings (remote provider models do), so
 * a client wrapping them picks those settings up without being told twice.
 */
public interface ResilienceDefaults {
    ResilienceConfig resilienceConfig();
}
