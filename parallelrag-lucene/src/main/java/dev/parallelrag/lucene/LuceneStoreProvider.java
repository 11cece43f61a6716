package dev.parallelrag.lucene;

import dev.parallelrag.Internal;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.spi.VectorStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
    public boolean holdsIndex(Path location) {
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
    public VectorStore open(Path location, boolean readOnly) {
        Map<String, String> recorded = holdsIndex(location) ? recordedSettings(location) : Map.of();
        return LuceneVectorStore.open(LuceneStoreConfig.fromSettings(location, recorded).readOnly(readOnly).build());
    }

    /** The {@code store.*} settings of the last commit, without their prefix and without {@code store.kind}. */
    static Map<String, String> recordedSettings(Path location) {
        String prefix = LuceneVectorStore.USER_PREFIX + SETTING_PREFIX;
        Map<String, String> settings = new HashMap<>();
        try (Directory dir = FSDirectory.open(location)) {
            Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
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
        } catch (IndexNotFoundException e) {
            return Map.of();
        } catch (IOException e) {
            throw new StoreException("cannot read the settings of index " + location + ": " + e.getMessage()
                    + "; check the path and permissions", e);
        }
        return settings;
    }
}
