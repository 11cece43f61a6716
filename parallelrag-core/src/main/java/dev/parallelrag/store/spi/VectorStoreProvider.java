package dev.parallelrag.store.spi;

import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.VectorStore;
import java.util.Map;

/**
 * A plug-in that opens a kind of {@link VectorStore} at a {@link StoreLocation}, so that core can reopen an index
 * without depending on the store's module (the Lucene store of {@code parallelrag-lucene} registers {@code lucene},
 * the PostgreSQL store of {@code parallelrag-pgvector} {@code pgvector}). Found with {@link java.util.ServiceLoader}:
 * list the class in {@code META-INF/services/dev.parallelrag.store.spi.VectorStoreProvider}; it needs a public
 * no-argument constructor.
 *
 * <p>The engine gives a provider the locations of its {@link #kind()}, and a directory given without a kind
 * ({@link StoreLocation#directory}) to every provider's {@link #holdsIndex}; a provider that keeps no index in
 * directories answers false there.
 *
 * <p>The store records its own settings in its index metadata under {@code store.*}, {@code store.kind}
 * included, when it is opened for writing, and {@link #open} applies the recorded settings, so an index
 * reopens exactly as it was built.
 */
public interface VectorStoreProvider {

    /** The kind recorded under {@code store.kind}, e.g. {@code lucene}. */
    String kind();

    /** True when {@code location} holds an index of this kind (it has been committed at least once). */
    boolean holdsIndex(StoreLocation location);

    /**
     * Opens the index at {@code location} with the settings it records (defaults for a new one).
     * Read-only, a store sees the last commit and leaves the location to a writer in another process;
     * writable, it creates the location when missing.
     *
     * @throws dev.parallelrag.error.StoreException when it cannot be opened, naming the location
     * @throws dev.parallelrag.error.ValidationException when the location lacks what this kind needs (a URL)
     */
    VectorStore open(StoreLocation location, boolean readOnly);

    /**
     * The index metadata ({@link VectorStore#indexMetadata()}) of the last commit, read without opening the
     * store for search, so that it can be read from an index whose data files are damaged.
     *
     * @throws dev.parallelrag.error.StoreException when the record itself cannot be read (an
     *         {@link dev.parallelrag.error.IndexCorruptException} when it is damaged)
     */
    Map<String, String> recordedMetadata(StoreLocation location);

    /**
     * Checks every file of the last commit against its checksum, reading each once; opens nothing for search.
     * A damaged index gives a report with one problem per damaged file, not an exception.
     *
     * @throws dev.parallelrag.error.StoreException when {@code location} holds no index of this kind, or the kind
     *         keeps no files of its own to check
     */
    IntegrityReport verify(StoreLocation location);

    /**
     * Empties the index at {@code location}, damaged or not, keeping its recorded metadata (embedder, splitter,
     * store settings) when that can still be read, so that a rebuild reopens as built. Crash-safe: a process killed
     * during it leaves either the old index or the empty one, never a mix. Files that are not the store's
     * (the embedding cache inside the index directory) are left alone.
     *
     * @return true when the recorded metadata was kept, false when it could not be read and is gone
     * @throws dev.parallelrag.error.StoreException when another process writes the index, or on an I/O error
     */
    boolean discard(StoreLocation location);
}
