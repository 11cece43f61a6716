package dev.parallelrag.embed;

/**
 * What a text is embedded as. Retrieval models that embed questions and passages differently (a query
 * prefix, a task type) give two vectors for one text, so the embedding cache keeps them apart.
 */
public enum InputType {
    /** A passage to be indexed and retrieved. */
    DOCUMENT,
    /** A question or search query. */
    QUERY
}
