package dev.parallelrag.lucene;

import dev.parallelrag.Internal;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.spi.VectorStoreProvider;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Registers the Lucene store as {@code store.kind = lucene} (see
 * {@code META-INF/services/dev.parallelrag.store.spi.VectorStoreProvider}). {@link #open} reads the
 * settings the index recorded when it was written ({@link LuceneStoreConfig#settings()}) from its last
 * commit, without opening it, and opens it with them.
 */
@Internal
public final class LuceneStoreProvider implements VectorStoreProvider {

    static final String KIND = "lucene";
    static final String KIND_KEY = "store.kind";
    static final String SETTING_PREFIX = "store.";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean holdsIndex(StoreLocation where) {
        Path location = where.path();
        if (!Files.isDirectory(location)) {
            return false;
        }
        try (Directory dir = FSDirectory.open(location)) {
            return DirectoryReader.indexExists(dir);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public VectorStore open(StoreLocation where, boolean readOnly) {
        Path location = where.path();
        Map<String, String> recorded = holdsIndex(where) ? recordedSettings(location) : Map.of();
        return LuceneVectorStore.open(LuceneStoreConfig.fromSettings(location, recorded).readOnly(readOnly).build());
    }

    @Override
    public Map<String, String> recordedMetadata(StoreLocation location) {
        Map<String, String> metadata = new HashMap<>();
        commitData(location.path()).forEach((k, v) -> {
            if (k.startsWith(LuceneVectorStore.USER_PREFIX)) {
                metadata.put(k.substring(LuceneVectorStore.USER_PREFIX.length()), v);
            }
        });
        return metadata;
    }

    @Override
    public IntegrityReport verify(StoreLocation location) {
        Path dir = location.path().toAbsolutePath().normalize();
        if (!holdsIndex(location)) {
            throw new StoreException("no index at " + dir + " to verify; check the path (`--index DIR`)");
        }
        try (Directory d = FSDirectory.open(dir)) {
            return LuceneIntegrityCheck.verify(d, dir.toString());
        } catch (IOException e) {
            throw new StoreException("cannot verify index " + dir + ": " + e.getMessage() + "; check the path and permissions", e);
        }
    }

    @Override
    public boolean discard(StoreLocation location) {
        return LuceneIndexReset.discard(location.path().toAbsolutePath().normalize());
    }

    /** The {@code store.*} settings of the last commit, without their prefix and without {@code store.kind}. */
    static Map<String, String> recordedSettings(Path location) {
        String prefix = LuceneVectorStore.USER_PREFIX + SETTING_PREFIX;
        Map<String, String> settings = new HashMap<>();
        Map<String, String> data = commitData(location);
        data.forEach((k, v) -> {
            if (k.startsWith(prefix) && !k.equals(LuceneVectorStore.USER_PREFIX + KIND_KEY)) {
                settings.put(k.substring(prefix.length()), v);
            }
        });
        // indexes written before the settings were recorded still record their analyzer
        String analyzer = data.get(LuceneVectorStore.ANALYZER_KEY);
        if (analyzer != null) {
            settings.putIfAbsent("analyzer", analyzer);
        }
        return settings;
    }

    /** The user data of the last commit (empty when there is none), read from {@code segments_N} alone. */
    private static Map<String, String> commitData(Path location) {
        Path dir = location.toAbsolutePath().normalize();
        try (Directory d = FSDirectory.open(dir)) {
            return SegmentInfos.readLatestCommit(d).getUserData();
        } catch (IndexNotFoundException e) {
            return Map.of();
        } catch (CorruptIndexException | EOFException | NoSuchFileException | FileNotFoundException e) {
            throw LuceneVectorStore.damaged(dir, e);
        } catch (IOException e) {
            throw new StoreException("cannot read the record of index " + dir + ": " + e.getMessage()
                    + "; check the path and permissions", e);
        }
    }
}
