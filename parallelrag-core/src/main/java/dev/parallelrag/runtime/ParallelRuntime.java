package dev.parallelrag.runtime;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthCheck;
import dev.parallelrag.health.HealthStatus;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The executors of ParallelRAG, configured by a {@link RuntimeConfig}:
 * <ul>
 *   <li>a CPU pool of {@code cpuPoolSize} named platform threads ({@code <prefix>-cpu-<n>}) with a work
 *       queue bounded by {@code cpuQueueCapacity}; when it is full, submitters block (back-pressure);</li>
 *   <li>virtual threads for I/O, named {@code <prefix>-io-<n>}, with {@code ioConcurrency} as the default
 *       bound of concurrently running I/O tasks.</li>
 * </ul>
 * The batch helpers ({@link #mapCpu}, {@link #mapIo}, {@link #streamCpu}, {@link #streamIo}) return one
 * {@link Outcome} per item, in input order. A batch started from one of this runtime's own CPU threads
 * runs inline on that thread instead, because waiting on the pool from inside the pool could deadlock.
 *
 * <p>Thread-safe. Close it to stop its threads; its threads are daemons, so a forgotten runtime does not
 * keep the JVM alive.
 *
 * <p>Its {@link #health()}: DOWN once closed, DEGRADED while the CPU queue is at least
 * {@value #SATURATED_PERCENT} % full (work arrives faster than the pool finishes it, and submitters are about to
 * wait), UP otherwise.
 */
public final class ParallelRuntime implements AutoCloseable, HealthCheck {

    /** How full the CPU queue is when health calls the runtime saturated. */
    public static final int SATURATED_PERCENT = 90;

    private static final Executor INLINE = Runnable::run;

    private final RuntimeConfig config;
    private final ThreadPoolExecutor cpuPool;
    private final ThreadFactory ioThreadFactory;
    private final ExecutorService ioExecutor;

    private ParallelRuntime(RuntimeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.cpuPool = new ThreadPoolExecutor(config.cpuPoolSize(), config.cpuPoolSize(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.cpuQueueCapacity()), new CpuThreadFactory(),
                ParallelRuntime::blockUntilQueued);
        // idle CPU threads exit after 30 s so an idle runtime costs nothing; they come back on demand
        this.cpuPool.allowCoreThreadTimeOut(true);
        this.ioThreadFactory = Thread.ofVirtual().name(config.threadNamePrefix() + "-io-", 0).factory();
        this.ioExecutor = Executors.newThreadPerTaskExecutor(ioThreadFactory);
    }

    /** A runtime with {@link RuntimeConfig#defaults()}. */
    public static ParallelRuntime create() {
        return new ParallelRuntime(RuntimeConfig.defaults());
    }

    public static ParallelRuntime create(RuntimeConfig config) {
        return new ParallelRuntime(config);
    }

    public RuntimeConfig config() {
        return config;
    }

    /** Runs tasks on the CPU pool. Blocks the caller while the pool's queue is full. */
    public Executor cpuExecutor() {
        return this::executeCpu;
    }

    /** Creates virtual threads named {@code <prefix>-io-<n>}. */
    public ThreadFactory ioThreadFactory() {
        return ioThreadFactory;
    }

    /** A new virtual-thread-per-task executor with this runtime's thread names; the caller closes it. */
    public ExecutorService newIoExecutor() {
        return Executors.newThreadPerTaskExecutor(ioThreadFactory);
    }

    /** True when the calling thread is one of this runtime's CPU threads. */
    public boolean isCpuThread() {
        return Thread.currentThread() instanceof CpuThread t && t.owner == this;
    }

    /** Number of tasks waiting in the CPU queue (for health and metrics). */
    public int cpuQueueDepth() {
        return cpuPool.getQueue().size();
    }

    public boolean isClosed() {
        return cpuPool.isShutdown();
    }

    /** Whether the pool runs, and how full its queue is (see the class comment). */
    @Override
    public Health health() {
        int depth = cpuQueueDepth();
        int capacity = config.cpuQueueCapacity();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cpu_pool_size", config.cpuPoolSize());
        details.put("cpu_threads_busy", cpuPool.getActiveCount());
        details.put("cpu_queue_depth", depth);
        details.put("cpu_queue_capacity", capacity);
        String queue = depth + " of " + capacity + " CPU tasks queued";
        if (isClosed()) {
            return new Health("runtime", HealthStatus.DOWN, "closed: its threads are stopped and it takes no more work", details);
        }
        if (depth * 100L >= (long) SATURATED_PERCENT * capacity) {
            return new Health("runtime", HealthStatus.DEGRADED, "CPU queue saturated (" + queue + "): work arrives faster"
                    + " than " + config.cpuPoolSize() + " threads finish it, so submitters wait", details);
        }
        return new Health("runtime", HealthStatus.UP, "running, " + queue, details);
    }

    /** Applies the task to every item on the CPU pool, {@code cpuPoolSize} at a time; outcomes in input order. */
    public <T, R> List<Outcome<R>> mapCpu(List<? extends T> items, ItemTask<? super T, ? extends R> task) {
        checkOpen();
        if (isCpuThread()) {
            return OrderedBatch.map(items, INLINE, 1, task);
        }
        return OrderedBatch.map(items, this::executeCpu, config.cpuPoolSize(), task);
    }

    /** Applies the task to every item on virtual threads, {@code ioConcurrency} at a time; outcomes in input order. */
    public <T, R> List<Outcome<R>> mapIo(List<? extends T> items, ItemTask<? super T, ? extends R> task) {
        return mapIo(items, config.ioConcurrency(), task);
    }

    /** Like {@link #mapIo(List, ItemTask)} with the caller's own concurrency bound (e.g. a provider's limit). */
    public <T, R> List<Outcome<R>> mapIo(List<? extends T> items, int concurrency, ItemTask<? super T, ? extends R> task) {
        return mapIo(items, concurrency, StopSignal.never(), task);
    }

    /**
     * Like {@link #mapIo(List, int, ItemTask)}, stoppable: after {@link StopSignal#stop()} no item starts (each
     * gets a {@code StoppedException}), running items have the stop's grace to finish, and the outcomes come back
     * in input order as usual, so the finished results are kept.
     */
    public <T, R> List<Outcome<R>> mapIo(List<? extends T> items, int concurrency, StopSignal stop,
                                         ItemTask<? super T, ? extends R> task) {
        checkOpen();
        checkPositive("concurrency", concurrency);
        return OrderedBatch.map(items, ioExecutor, concurrency, Objects.requireNonNull(stop, "stop"), task);
    }

    /**
     * Streams outcomes of the task applied to each source item on the CPU pool, in input order, with at
     * most {@code 2 * cpuPoolSize} items pulled and not yet consumed. Close the stream to skip the rest; closing waits for the tasks already running.
     */
    public <T, R> Stream<Outcome<R>> streamCpu(Iterator<? extends T> source, ItemTask<? super T, ? extends R> task) {
        return streamCpu(source, 2 * config.cpuPoolSize(), task);
    }

    /** Like {@link #streamCpu(Iterator, ItemTask)} with an explicit window (items pulled but not yet consumed). */
    public <T, R> Stream<Outcome<R>> streamCpu(Iterator<? extends T> source, int window,
                                              ItemTask<? super T, ? extends R> task) {
        checkOpen();
        checkPositive("window", window);
        Executor executor = isCpuThread() ? INLINE : this::executeCpu;
        return toStream(new OrderedStream<>(source, executor, window, null, task));
    }

    /**
     * Streams outcomes of the task applied to each source item on virtual threads, in input order, with at
     * most {@code concurrency} running and at most {@code 2 * concurrency} pulled and not yet consumed.
     */
    public <T, R> Stream<Outcome<R>> streamIo(Iterator<? extends T> source, int concurrency,
                                             ItemTask<? super T, ? extends R> task) {
        return streamIo(source, concurrency, StopSignal.never(), task);
    }

    /**
     * Like {@link #streamIo(Iterator, int, ItemTask)}, stoppable: after {@link StopSignal#stop()} the items pulled
     * but not started get a {@code StoppedException}, and running ones have the stop's grace to finish. The
     * source is still read to its end: wrap it in {@link StopSignal#untilStopped} to stop reading it too.
     */
    public <T, R> Stream<Outcome<R>> streamIo(Iterator<? extends T> source, int concurrency, StopSignal stop,
                                             ItemTask<? super T, ? extends R> task) {
        checkOpen();
        checkPositive("concurrency", concurrency);
        int window = (int) Math.min(Integer.MAX_VALUE, 2L * concurrency);
        return toStream(new OrderedStream<>(source, ioExecutor, window, new Semaphore(concurrency),
                Objects.requireNonNull(stop, "stop"), task));
    }

    /** Stops accepting work, lets running and queued tasks finish (up to 10 s), then interrupts the rest. */
    @Override
    public void close() {
        cpuPool.shutdown();
        ioExecutor.shutdown();
        try {
            boolean done = cpuPool.awaitTermination(10, TimeUnit.SECONDS) & ioExecutor.awaitTermination(1, TimeUnit.SECONDS);
            if (!done) {
                cpuPool.shutdownNow();
                ioExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            cpuPool.shutdownNow();
            ioExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ParallelRuntime" + config;
    }

    private void executeCpu(Runnable task) {
        if (cpuPool.isShutdown()) {
            throw closedError();
        }
        cpuPool.execute(task);
    }

    private void checkOpen() {
        if (cpuPool.isShutdown()) {
            throw closedError();
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("ParallelRuntime is closed; create a new one to run more work");
    }

    private static void checkPositive(String field, int value) {
        if (value < 1) {
            throw new ValidationException(field, value, "must be at least 1");
        }
    }

    private static <R> Stream<Outcome<R>> toStream(OrderedStream<?, R> iterator) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(iterator::close);
    }

    /** Back-pressure: a full queue makes the submitter wait for space instead of failing or growing. */
    private static void blockUntilQueued(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("ParallelRuntime is closed");
        }
        try {
            pool.getQueue().put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for space in the CPU queue", e);
        }
    }

    private final class CpuThreadFactory implements ThreadFactory {
        private final AtomicInteger counter = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new CpuThread(ParallelRuntime.this, r, config.threadNamePrefix() + "-cpu-" + counter.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    }

    private static final class CpuThread extends Thread {
        private final ParallelRuntime owner;

        CpuThread(ParallelRuntime owner, Runnable r, String name) {
            super(r, name);
            this.owner = owner;
        }
    }
}
