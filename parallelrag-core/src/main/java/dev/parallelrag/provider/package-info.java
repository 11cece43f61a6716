/**
 * The wire formats of the remote providers (OpenAI and compatible servers, Anthropic, Gemini, Ollama) over the JDK
 * HTTP client, and {@code Providers}, which builds a chat or embedding model or client from a {@code
 * ProviderConfig}.
 */
package dev.parallelrag.provider;
