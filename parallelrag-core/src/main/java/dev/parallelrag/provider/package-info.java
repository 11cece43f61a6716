/**
 * How to reach a remote provider ({@code ProviderKind}, {@code ProviderConfig}, {@code ApiKey}, and
 * {@code ChatModelSpec}, a chat model written as {@code openai:gpt-4o-mini}), and
 * {@code Providers}, which builds a chat or embedding model or client from a {@code ProviderConfig} with the
 * wire format found on the class path (see {@link dev.parallelrag.provider.spi}; the
 * {@code parallelrag-providers} module has OpenAI and compatible servers, Anthropic, Gemini and Ollama).
 * Pure configuration: no HTTP or JSON of any provider lives here.
 */
package dev.parallelrag.provider;
