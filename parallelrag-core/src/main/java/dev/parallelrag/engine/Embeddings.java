package dev.parallelrag.engine;

import dev.parallelrag.stats.TokenUsage;
import java.util.List;

/**
 * What {@link ParallelRag#embed} returns: one vector per text, in input order, and the tokens embedded.
 *
 * @param vectors the embeddings, one per input text, in input order
 * @param model   the embedder's model id, e.g. {@code local/all-minilm-l6-v2}
 * @param usage   the input's tokens as prompt tokens, counted in {@link dev.parallelrag.pipeline.Rag#TOKENIZER}'s
 *                tokens (the embedder's own tokenizer may count differently); no completion tokens
 */
public record Embeddings(List<float[]> vectors, String model, TokenUsage usage) {

    public Embeddings {
        vectors = List.copyOf(vectors);
    }
}
