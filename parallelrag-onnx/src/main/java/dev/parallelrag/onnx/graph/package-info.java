/**
 * Load-time rewrites of an ONNX model graph (attention and skip-layer-norm fusion) that let ONNX Runtime run it
 * faster with the same outputs; used by {@code OnnxEmbeddingModel}, not API.
 */
package dev.parallelrag.onnx.graph;
