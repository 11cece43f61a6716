package dev.parallelrag.store.spi;

import dev.parallelrag.store.VectorStore;
import java.nio.file.Path;

/**
 * A plug-in that opens a kind of {@link VectorStore} at a location, so that core can reopen an index
 * without depending on the store's module (the Lucene store of {@code parallelrag-lucene} registers
 * {@code lucene} this way). Found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.parallelrag.store.spi.VectorStoreProvider}; it needs a public no-argument
 * constructor.
 *
 * <p>The store records its own settings in its index metadata under {@code store.*}, {@code store.kind}
 * included, when it is opened for writing, and {@link #open} applies the recorded settings, so an index
 * reopens exactly as it was built.
 */
public interface VectorStoreProvider {

    /** The kind recorded under {@code store.kind}, e.g. {@code lucene}. */
    String kind();

    /** True when {@code location} holds an index of this kind (it has been committed at least once). */
    boolean holdsIndex(Path location);

    /**
     * Opens the index at {@code location} with the settings it records (defaults for a new one).
     * Read-only, a store sees the last commit and leaves the location to a writer in another process;
     * writable, it creates the location when missing.
     *
     * @throws dev.parallelrag.error.StoreException when it cannot be opened, naming the location
     */
    VectorStore open(Path location, boolean readOnly);
}
