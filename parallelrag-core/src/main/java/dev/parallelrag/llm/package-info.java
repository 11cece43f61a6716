/**
 * Chat models: the {@code ChatModel} interface every provider implements, its request, message and result records,
 * and {@code LlmClient}, which adds resilience, batching, streaming, stats and health to any of them.
 */
package dev.parallelrag.llm;
