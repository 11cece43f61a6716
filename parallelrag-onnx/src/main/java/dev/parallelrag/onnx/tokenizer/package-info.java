/**
 * A BERT WordPiece tokenizer read from a Hugging Face {@code tokenizer.json}, giving the same token ids as the
 * reference tokenizer; used by {@code OnnxEmbeddingModel}, not API.
 */
package dev.parallelrag.onnx.tokenizer;
