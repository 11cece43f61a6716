/**
 * The provider wire formats over HTTP: OpenAI (also Groq, xAI and compatible servers), Anthropic, Gemini
 * and Ollama, each a {@link dev.parallelrag.provider.spi.WireFormatProvider} found by
 * {@link java.util.ServiceLoader}, with the JDK HTTP client and Jackson behind them. Each model call is
 * one HTTP attempt that enforces its client's timeouts; use the models through
 * {@link dev.parallelrag.provider.Providers} and the clients.
 */
package dev.parallelrag.provider.http;
