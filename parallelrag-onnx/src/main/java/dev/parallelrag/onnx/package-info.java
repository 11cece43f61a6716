/**
 * Local embedding models on ONNX Runtime: {@code OnnxEmbeddingModel} (bge-small-en-v1.5 and all-MiniLM-L6-v2, full and int8, shipped as
 * Maven artifacts) with its {@code OnnxEmbeddingConfig}; texts longer than the model's window are embedded in
 * overlapping windows and pooled.
 */
package dev.parallelrag.onnx;
