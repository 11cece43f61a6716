package dev.parallelrag.error;

/**
 * Base of every error ParallelRAG raises on purpose. Messages say what happened and what to do,
 * and never contain API keys.
 */
public abstract class ParallelRagException extends RuntimeException {

    protected ParallelRagException(String message) {
        super(message);
    }

    protected ParallelRagException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The kind used to classify this failure in stats and output. */
    public abstract ErrorKind kind();
}
