package dev.parallelrag.lucene;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.index.IndexManifest;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Empties a Lucene index for a rebuild, damaged or not ({@link LuceneStoreProvider#discard}).
 *
 * <p>When the commit record still reads, an {@link IndexWriterConfig.OpenMode#CREATE} writer commits an empty
 * index carrying the old record (minus the dimension and the last ingest's summary): Lucene replaces the old
 * commit atomically and deletes its files, so a kill leaves either the old index or the empty one. When the
 * record itself is damaged, nothing can open the index, so its files are deleted under the write lock, the
 * {@code segments_N} commit points first: once they are gone the directory holds no index, and a later writer
 * deletes whatever a kill left behind.
 */
final class LuceneIndexReset {

    private LuceneIndexReset() {
    }

    /** Returns true when the record was kept, false when it could not be read. */
    static boolean discard(Path location) {
        try (Directory dir = FSDirectory.open(location)) {
            Map<String, String> record;
            try {
                record = keptRecord(SegmentInfos.readLatestCommit(dir).getUserData());
            } catch (IndexNotFoundException e) {
                return true; // nothing to discard
            } catch (CorruptIndexException | EOFException | NoSuchFileException | FileNotFoundException e) {
                deleteFiles(dir);
                return false;
            }
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig()
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
                writer.setLiveCommitData(record.entrySet());
                writer.commit();
            } catch (CorruptIndexException | EOFException e) {
                deleteFiles(dir); // an older commit point is damaged too
                return false;
            }
            return true;
        } catch (LockObtainFailedException e) {
            throw new StoreException("index " + location + " is locked by another writer (is an ingest running?);"
                    + " wait for it to finish before rebuilding", e);
        } catch (IOException e) {
            throw new StoreException("cannot discard index " + location + " for a rebuild: " + e.getMessage()
                    + "; check disk space and permissions", e);
        }
    }

    /** The commit data an empty index keeps: everything but what described the chunks. */
    private static Map<String, String> keptRecord(Map<String, String> userData) {
        Map<String, String> kept = new TreeMap<>(userData);
        kept.remove(LuceneVectorStore.DIMENSION_KEY);
        kept.remove(LuceneVectorStore.USER_PREFIX + IndexManifest.LAST_INGEST);
        return kept;
    }

    private static void deleteFiles(Directory dir) throws IOException {
        try (Lock lock = dir.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
            String[] files = dir.listAll();
            for (String name : files) {
                if (name.startsWith(IndexFileNames.SEGMENTS) || name.startsWith(IndexFileNames.PENDING_SEGMENTS)) {
                    dir.deleteFile(name);
                }
            }
            dir.syncMetaData();
            for (String name : files) {
                if (IndexFileNames.CODEC_FILE_PATTERN.matcher(name).matches()) {
                    dir.deleteFile(name);
                }
            }
            dir.syncMetaData();
        }
    }
}
