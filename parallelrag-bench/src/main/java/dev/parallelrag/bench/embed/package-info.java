/**
 * Local embedding harnesses: throughput side by side with LangChain4j's ONNX models on the same model file, the
 * graph-fusion A/B, an operator profile, recall of the int8 model and flat memory while streaming.
 */
package dev.parallelrag.bench.embed;
