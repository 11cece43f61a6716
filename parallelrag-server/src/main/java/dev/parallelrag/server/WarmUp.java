package dev.parallelrag.server;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ClosedException;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.store.SearchMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the engine's embedding model in the background when the server starts ({@link ServerConfig#warmUp()}), so the
 * first question does not pay the model load and {@code /health/ready} turns true when it is done. The load is one
 * real vector search of one hit: it loads the model and reads the index the way every question does. Closing the
 * engine during the load waits for it (the engine's own close waits for the calls in flight).
 */
final class WarmUp {

    /** What the warm-up searches for; any text does. */
    static final String PROBE = "warm-up";

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    private final ParallelRag engine;
    private final boolean enabled;
    private volatile String failure;

    WarmUp(ParallelRag engine, boolean enabled) {
        this.engine = engine;
        this.enabled = enabled;
    }

    void start() {
        if (enabled) {
            Thread.ofVirtual().name("parallelrag-server-warm-up").start(this::run);
        }
    }

    private void run() {
        try {
            engine.search(PROBE, 1, SearchMode.VECTOR);
            LOG.info("embedding model {} loaded", engine.embedder().modelId());
        } catch (ClosedException e) {
            failure = "the engine closed before the model was loaded";
        } catch (StoreException e) {
            failure = "no index to search yet, so the model loads with the first ingest (" + e.getMessage() + ")";
            LOG.info("warm-up skipped: {}", failure);
        } catch (RuntimeException e) {
            failure = "warm-up failed: " + e.getMessage();
            LOG.warn("{}; the model loads with the first request that needs a vector", failure);
        }
    }

    /** Why the model is not loaded, for {@code /health/ready}. */
    String notLoadedReason() {
        if (!enabled) {
            return "the embedding model is not loaded yet: warm-up is off, so it loads with the first request that"
                    + " needs a vector";
        }
        String f = failure;
        return f != null ? "the embedding model is not loaded: " + f : "the embedding model is loading";
    }

}
