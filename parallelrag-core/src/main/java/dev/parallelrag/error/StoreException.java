package dev.parallelrag.error;

/**
 * A vector store failed to read or write: an I/O error, a locked or corrupt index, or an index
 * built for a different embedding model or dimension. The message names the store location and
 * says what to do.
 */
public class StoreException extends ParallelRagException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.STORE;
    }
}
