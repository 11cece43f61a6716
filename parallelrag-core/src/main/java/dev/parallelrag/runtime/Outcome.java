package dev.parallelrag.runtime;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The result of one item of a batch: its value, or the error that item raised. Batch helpers return
 * one outcome per input item, in input order, so one bad item never hides or shifts the others.
 *
 * <p>Use pattern matching to inspect it:
 * <pre>{@code
 * switch (outcome) {
 *     case Outcome.Success<Chunk> s -> use(s.value());
 *     case Outcome.Failure<Chunk> f -> report(f.error());
 * }
 * }</pre>
 *
 * @param <T> the value type
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Failure {

    /** A successful item. The value may be {@code null} when the task returns nothing (e.g. {@code Void}). */
    record Success<T>(T value) implements Outcome<T> {
    }

    /** A failed item with the exception its task threw (usually a {@code ParallelRagException}). */
    record Failure<T>(Throwable error) implements Outcome<T> {
        public Failure {
            Objects.requireNonNull(error, "error");
        }
    }

    static <T> Outcome<T> success(T value) {
        return new Success<>(value);
    }

    static <T> Outcome<T> failure(Throwable error) {
        return new Failure<>(error);
    }

    /**
     * Runs the callable and captures its result. Exceptions become a {@link Failure}; {@link Error}s
     * (out of memory, stack overflow, assertion errors) are not an item's outcome and propagate.
     */
    static <T> Outcome<T> capture(Callable<? extends T> callable) {
        try {
            return new Success<>(callable.call());
        } catch (Exception e) {
            return new Failure<>(e);
        }
    }

    default boolean isSuccess() {
        return this instanceof Success;
    }

    /**
     * The value, or the error rethrown: unchecked exceptions as they are, checked ones wrapped in a
     * {@link CompletionException}.
     */
    default T orElseThrow() {
        return switch (this) {
            case Success<T> s -> s.value();
            case Failure<T> f -> {
                if (f.error() instanceof RuntimeException re) {
                    throw re;
                }
                if (f.error() instanceof Error err) {
                    throw err;
                }
                throw new CompletionException(f.error());
            }
        };
    }

    /** Transforms a success value; a failure passes through unchanged. */
    @SuppressWarnings("unchecked")
    default <R> Outcome<R> map(Function<? super T, ? extends R> mapper) {
        return switch (this) {
            case Success<T> s -> new Success<>(mapper.apply(s.value()));
            case Failure<T> f -> (Outcome<R>) f;
        };
    }
}
