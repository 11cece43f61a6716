package dev.parallelrag.spark;

import dev.parallelrag.pipeline.IngestListener;
import java.io.Serializable;

/**
 * Makes the progress listener of one task attempt, on the executor: given the partition and
 * {@code TaskContext.attemptNumber()}, so that a listener can tell a retry from a first attempt. An exception
 * thrown by the listener fails the task attempt, and Spark retries it (up to {@code spark.task.maxFailures}); the
 * suite uses that to force a retry after a task has written some documents. Shipped to the executors, so
 * serializable.
 */
@FunctionalInterface
public interface TaskListeners extends Serializable {

    /** No events. */
    TaskListeners NONE = (partition, attempt) -> IngestListener.NONE;

    IngestListener forTask(int partition, int attempt);
}
