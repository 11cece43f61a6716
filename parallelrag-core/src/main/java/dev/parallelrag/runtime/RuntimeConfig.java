package dev.parallelrag.runtime;

import dev.parallelrag.error.ValidationException;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link ParallelRuntime}. Build one with {@link #builder()}; every value is
 * validated when {@link Builder#build()} runs, and a bad value fails with a {@link ValidationException}
 * naming the setting, the value and the rule.
 *
 * <p>Defaults:
 * <ul>
 *   <li>{@code cpuPoolSize}: {@link Runtime#availableProcessors()} of the running JVM (at least 1).
 *       Platform threads for CPU work (splitting, local embedding, index writing). Range 1..1024.</li>
 *   <li>{@code cpuQueueCapacity}: {@value #DEFAULT_CPU_QUEUE_CAPACITY} tasks waiting for a CPU thread.
 *       When the queue is full, submitting blocks the submitter (back-pressure) instead of growing
 *       memory or rejecting work. Range 1..1,000,000.</li>
 *   <li>{@code ioConcurrency}: {@value #DEFAULT_IO_CONCURRENCY} I/O tasks (HTTP calls) in flight at once
 *       when the caller does not choose its own limit. They run on virtual threads. Range 1..100,000.</li>
 *   <li>{@code threadNamePrefix}: {@value #DEFAULT_THREAD_NAME_PREFIX}. CPU threads are named
 *       {@code <prefix>-cpu-<n>}, I/O virtual threads {@code <prefix>-io-<n>}. 1..64 characters of
 *       letters, digits, '.', '_' or '-'.</li>
 * </ul>
 *
 * @param cpuPoolSize      number of platform threads in the CPU pool
 * @param cpuQueueCapacity bound of the CPU pool's work queue
 * @param ioConcurrency    default bound of concurrently running I/O tasks
 * @param threadNamePrefix prefix of every thread the runtime creates
 */
public record RuntimeConfig(int cpuPoolSize, int cpuQueueCapacity, int ioConcurrency, String threadNamePrefix) {

    public static final int DEFAULT_CPU_QUEUE_CAPACITY = 1024;
    public static final int DEFAULT_IO_CONCURRENCY = 16;
    public static final String DEFAULT_THREAD_NAME_PREFIX = "parallelrag";

    static final int MAX_CPU_POOL_SIZE = 1024;
    static final int MAX_CPU_QUEUE_CAPACITY = 1_000_000;
    static final int MAX_IO_CONCURRENCY = 100_000;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Validates like the builder, so a config can never hold an invalid value. */
    public RuntimeConfig {
        checkRange("cpuPoolSize", cpuPoolSize, 1, MAX_CPU_POOL_SIZE);
        checkRange("cpuQueueCapacity", cpuQueueCapacity, 1, MAX_CPU_QUEUE_CAPACITY);
        checkRange("ioConcurrency", ioConcurrency, 1, MAX_IO_CONCURRENCY);
        if (threadNamePrefix == null || !PREFIX.matcher(threadNamePrefix).matches()) {
            throw new ValidationException("threadNamePrefix", threadNamePrefix,
                    "must be 1 to 64 characters of letters, digits, '.', '_' or '-' (e.g. \"parallelrag\")");
        }
    }

    /** The documented defaults. */
    public static RuntimeConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder().cpuPoolSize(cpuPoolSize).cpuQueueCapacity(cpuQueueCapacity)
                .ioConcurrency(ioConcurrency).threadNamePrefix(threadNamePrefix);
    }

    private static void checkRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ValidationException(field, value, "must be between " + min + " and " + max);
        }
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private int cpuPoolSize = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int cpuQueueCapacity = DEFAULT_CPU_QUEUE_CAPACITY;
        private int ioConcurrency = DEFAULT_IO_CONCURRENCY;
        private String threadNamePrefix = DEFAULT_THREAD_NAME_PREFIX;

        private Builder() {
        }

        public Builder cpuPoolSize(int cpuPoolSize) {
            this.cpuPoolSize = cpuPoolSize;
            return this;
        }

        public Builder cpuQueueCapacity(int cpuQueueCapacity) {
            this.cpuQueueCapacity = cpuQueueCapacity;
            return this;
        }

        public Builder ioConcurrency(int ioConcurrency) {
            this.ioConcurrency = ioConcurrency;
            return this;
        }

        public Builder threadNamePrefix(String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
            return this;
        }

        public RuntimeConfig build() {
            return new RuntimeConfig(cpuPoolSize, cpuQueueCapacity, ioConcurrency, threadNamePrefix);
        }
    }
}
