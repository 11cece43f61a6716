package dev.parallelrag.onnx;

/** How a sequence's token vectors become one text vector. */
public enum Pooling {
    /** Average of the token vectors under the attention mask ({@code [CLS]} and {@code [SEP]} included), as sentence-transformers does. */
    MEAN,
    /** The vector of the first token ({@code [CLS]}). */
    CLS
}
