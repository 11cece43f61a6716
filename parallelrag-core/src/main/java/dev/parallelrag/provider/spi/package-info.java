/**
 * The service-provider interface for provider wire formats: what a module implements so that
 * {@link dev.parallelrag.provider.Providers} can make models for a {@link dev.parallelrag.provider.ProviderConfig}
 * without core knowing any HTTP or JSON of a provider.
 */
package dev.parallelrag.provider.spi;
