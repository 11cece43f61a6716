package dev.parallelrag.runtime;

/**
 * Work applied to one item of a batch. May throw; the exception becomes that item's
 * {@link Outcome.Failure}.
 *
 * @param <T> the item type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ItemTask<T, R> {
    R apply(T item) throws Exception;
}
