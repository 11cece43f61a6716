/**
 * A fake LLM and embedding provider on loopback for tests: {@code FakeProviderServer} speaks the
 * OpenAI-compatible, Anthropic, Gemini and Ollama wire formats with deterministic answers and vectors, and
 * scripted latency ({@code Latency}), faults ({@code FaultPlan}) and rate limits. It shares no code with the
 * clients it tests.
 */
package dev.parallelrag.testkit;
