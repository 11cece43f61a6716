package dev.parallelrag.lucene;

import dev.parallelrag.store.StoredChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child process for {@link LuceneVectorStoreTest}: writes and commits 50 chunks, writes 50 more
 * without committing, says READY, then waits to be killed with SIGKILL.
 */
public final class CrashWriterMain {

    private CrashWriterMain() {
    }

    static List<StoredChunk> chunks(int from, int to) {
        List<StoredChunk> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new StoredChunk("chunk-" + i, "doc-" + (i / 10), "doc-" + (i / 10) + ".txt", 0, 5,
                    "chunk number " + i, "h" + i, "test/model", Map.of(), new float[] {1f, i, i % 7, 1f / (i + 1)}));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        LuceneVectorStore store = LuceneVectorStore.open(Path.of(args[0]));
        store.upsert(chunks(0, 50));
        store.putIndexMetadata(Map.of("last_ingest", "committed"));
        store.commit();
        store.upsert(chunks(50, 100));
        store.deleteDocument("doc-0");
        store.putIndexMetadata(Map.of("last_ingest", "uncommitted"));
        System.out.println("READY " + store.count());
        System.out.flush();
        Thread.sleep(120_000); // killed long before this ends
    }
}
