package dev.parallelrag.error;

/**
 * A component was used after {@code close()} began: a model, a store or an engine that stopped accepting
 * work. Nothing was done for the call. The message names the component and says what to do (open a new one,
 * or close it only after its users stop).
 */
public final class ClosedException extends ParallelRagException {

    public ClosedException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.OTHER;
    }
}
