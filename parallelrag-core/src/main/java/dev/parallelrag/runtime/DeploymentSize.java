package dev.parallelrag.runtime;

import java.util.Locale;

/**
 * The deployment sizes of the system we replace, by its table of workers and blocking threads: small 4/8, medium
 * 16/32, large 32/64. {@link #sizing()} maps a pair onto this runtime (see {@link Sizing#of(DeploymentSize)} for each
 * value and why). Without a size, an engine is sized from the machine ({@link Sizing#machine()}).
 *
 * <p>A size larger than the machine is allowed: its CPU threads then take turns on the cores (no CPU stage gets
 * faster, each thread costs a stack, and more documents are held in memory at once), while its I/O permits still
 * overlap that many network calls, since a virtual thread waiting on a socket uses no core.
 */
public enum DeploymentSize {
    SMALL(4, 8),
    MEDIUM(16, 32),
    LARGE(32, 64);

    private final int workers;
    private final int blockingThreads;

    DeploymentSize(int workers, int blockingThreads) {
        this.workers = workers;
        this.blockingThreads = blockingThreads;
    }

    /** The seed's workers: processes that did the CPU work of requests and ingests. */
    public int workers() {
        return workers;
    }

    /** The seed's blocking threads: each held one blocking call (an HTTP request to a provider) at a time. */
    public int blockingThreads() {
        return blockingThreads;
    }

    /** This size's settings; {@link Sizing#builder(DeploymentSize)} to change some of them. */
    public Sizing sizing() {
        return Sizing.of(this);
    }

    /** The name on the command line: {@code small}, {@code medium}, {@code large}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
