package dev.parallelrag.runtime;

import dev.parallelrag.error.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How large an engine runs: its CPU pool, its I/O permits, its embedding calls in flight and how far its ingest
 * reads ahead. One of the {@link DeploymentSize} presets ({@link #of}), sized from the machine ({@link #machine()}, the
 * engine's default), or either with some values set ({@link #builder(DeploymentSize)}): a value set explicitly wins
 * over the preset's. {@link Builder#build()} validates; a bad or conflicting value is a {@link ValidationException}
 * naming the setting, the value and the fix.
 *
 * <p>What each value bounds in the engine ({@code ParallelRag}):
 * <ul>
 *   <li>{@code cpuPoolSize}: the platform threads of its CPU pool ({@link RuntimeConfig#cpuPoolSize()}): reading,
 *       splitting and planning documents, index writing. 1 to 1024.</li>
 *   <li>{@code ioConcurrency}: the permits of a remote embedder's calls in flight (its client's bulkhead,
 *       {@code ResilienceConfig.maxConcurrency}): the query embeddings of searches and questions and the embedding
 *       calls of ingests together. The calls run on virtual threads; a call over the bound waits for a permit. 0
 *       leaves the provider's own bound (64); 1 to 100,000 otherwise. A local model makes no remote call, so there it
 *       bounds nothing.</li>
 *   <li>{@code embedConcurrency}: embedding calls one ingest keeps in flight ({@code IngestConfig.embedConcurrency});
 *       its embed stage holds at most twice that many batches. 0 leaves the embedder's {@code preferredConcurrency()};
 *       1 to 1000 otherwise, and at most {@code ioConcurrency} when both are set: calls beyond the permits would only
 *       wait for one.</li>
 *   <li>{@code documentWindow}: documents one ingest reads, splits and plans ahead of the embedder
 *       ({@code IngestConfig.documentWindow}), the bound of its first queue. 1 to 10,000.</li>
 * </ul>
 * The CPU pool's own queue ({@link RuntimeConfig#cpuQueueCapacity()}, 1024 tasks) is no sizing value: the engine's
 * stages submit at most their window of tasks, far below it, so it only bounds what other users of the pool add.
 *
 * @param size             the preset the values come from; empty when sized from the machine
 * @param cpuPoolSize      platform threads of the CPU pool
 * @param ioConcurrency    a remote embedder's calls in flight, 0 for the provider's own bound
 * @param embedConcurrency embedding calls in flight per ingest, 0 for the embedder's preference
 * @param documentWindow   documents an ingest holds ahead of the embedder
 */
public record Sizing(Optional<DeploymentSize> size, int cpuPoolSize, int ioConcurrency, int embedConcurrency,
                     int documentWindow) {

    /** The most embedding calls one ingest may keep in flight ({@code IngestConfig} takes the same bound). */
    public static final int MAX_EMBED_CONCURRENCY = 1_000;
    /** The most documents one ingest may read ahead ({@code IngestConfig} takes the same bound). */
    public static final int MAX_DOCUMENT_WINDOW = 10_000;

    public Sizing {
        if (size == null) {
            throw new ValidationException("size", null, "must be given (Optional.empty() when sized from the machine)");
        }
        range("cpuPoolSize", cpuPoolSize, 1, RuntimeConfig.MAX_CPU_POOL_SIZE, "");
        range("ioConcurrency", ioConcurrency, 0, RuntimeConfig.MAX_IO_CONCURRENCY, ", or 0 for the provider's own bound");
        range("embedConcurrency", embedConcurrency, 0, MAX_EMBED_CONCURRENCY, ", or 0 for the embedder's preference");
        range("documentWindow", documentWindow, 1, MAX_DOCUMENT_WINDOW, "");
        if (ioConcurrency > 0 && embedConcurrency > ioConcurrency) {
            throw new ValidationException("embedConcurrency", embedConcurrency, "is more than ioConcurrency ("
                    + ioConcurrency + "), which bounds the same calls, so the calls beyond it would only wait; set"
                    + " embedConcurrency to at most " + ioConcurrency + " or raise ioConcurrency");
        }
    }

    /**
     * A preset's values, each from the seed's pair of W workers and B blocking threads:
     * <ul>
     *   <li>{@code cpuPoolSize} = W (4, 16, 32): a worker did CPU work; on the JVM one pool of W threads shares one
     *       heap and does what W worker processes did;</li>
     *   <li>{@code ioConcurrency} = B (8, 32, 64): a blocking thread held one provider call; a virtual thread costs
     *       nothing while it waits, so threads no longer bound the calls, and B stays as what it also was, the most
     *       calls at once this deployment puts on its provider;</li>
     *   <li>{@code embedConcurrency} = 3B/4 (6, 24, 48): an ingest takes three quarters of the permits, and a quarter
     *       (2, 8, 16) stays free for the query embeddings of the searches answered meanwhile;</li>
     *   <li>{@code documentWindow} = 2W (8, 32, 64): two documents per CPU thread, so each thread has its next document
     *       while the embedder works (the rule of the machine-sized default).</li>
     * </ul>
     */
    public static Sizing of(DeploymentSize size) {
        if (size == null) {
            throw new ValidationException("size", null, "must be one of small, medium, large");
        }
        int w = size.workers();
        int b = size.blockingThreads();
        return new Sizing(Optional.of(size), w, b, b * 3 / 4, 2 * w);
    }

    /**
     * The default, sized from the machine: a CPU thread per available processor and a document window of two per
     * thread; the I/O values are left to the provider (64 calls in flight) and the embedder (its preferred calls in
     * flight), because a call waiting on the network uses no core, so the cores say nothing about how many to make.
     */
    public static Sizing machine() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new Sizing(Optional.empty(), cores, 0, 0, 2 * cores);
    }

    /** A builder starting from the machine-sized default. */
    public static Builder builder() {
        return new Builder(machine());
    }

    /** A builder starting from a preset's values; what it sets wins over them. */
    public static Builder builder(DeploymentSize size) {
        return new Builder(of(size));
    }

    /** The values as health details and log fields: {@code size} ({@code machine} without a preset) and each bound. */
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("size", size.map(DeploymentSize::id).orElse("machine"));
        d.put("cpu_pool_size", cpuPoolSize);
        d.put("io_concurrency", ioConcurrency == 0 ? "provider's" : ioConcurrency);
        d.put("embed_concurrency", embedConcurrency == 0 ? "embedder's" : embedConcurrency);
        d.put("document_window", documentWindow);
        return d;
    }

    private static void range(String field, int value, int min, int max, String orElse) {
        if (value < min || value > max) {
            throw new ValidationException(field, value, "must be between " + Math.max(1, min) + " and " + max + orElse);
        }
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private final Optional<DeploymentSize> size;
        private int cpuPoolSize;
        private int ioConcurrency;
        private int embedConcurrency;
        private int documentWindow;

        private Builder(Sizing from) {
            this.size = from.size;
            this.cpuPoolSize = from.cpuPoolSize;
            this.ioConcurrency = from.ioConcurrency;
            this.embedConcurrency = from.embedConcurrency;
            this.documentWindow = from.documentWindow;
        }

        public Builder cpuPoolSize(int cpuPoolSize) {
            this.cpuPoolSize = cpuPoolSize;
            return this;
        }

        public Builder ioConcurrency(int ioConcurrency) {
            this.ioConcurrency = ioConcurrency;
            return this;
        }

        public Builder embedConcurrency(int embedConcurrency) {
            this.embedConcurrency = embedConcurrency;
            return this;
        }

        public Builder documentWindow(int documentWindow) {
            this.documentWindow = documentWindow;
            return this;
        }

        public Sizing build() {
            return new Sizing(size, cpuPoolSize, ioConcurrency, embedConcurrency, documentWindow);
        }
    }
}
