package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.store.StoredChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's health: open and how (read-only or writable) with its chunk count; DOWN closed or damaged. */
class LuceneStoreHealthTest {

    @TempDir
    Path dir;

    private static List<StoredChunk> chunks(int from, int n) {
        List<StoredChunk> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            String text = "chunk number " + i + " about trade";
            out.add(new StoredChunk("c" + i, "doc" + i, "doc" + i, 0, text.length(), text, "h" + i, "m", Map.of(),
                    new float[] {1, i, 2}));
        }
        return out;
    }

    @Test
    void openStoresAreUpWithTheirChunksAndAClosedOneIsDown() {
        LuceneVectorStore writer = LuceneVectorStore.open(dir);
        writer.upsert(chunks(0, 12));
        Health writable = writer.health();
        assertThat(writable.status()).isEqualTo(HealthStatus.UP);
        assertThat(writable.reason()).endsWith(" open for writing, 12 chunks");
        assertThat(writable.details()).containsEntry("writable", true).containsEntry("chunks", 12L).containsEntry("dimension", 3);
        writer.close();

        Health closed = writer.health();
        assertThat(closed.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(closed.reason()).endsWith(" is closed");
        assertThat(closed.details()).containsEntry("writable", false);

        try (LuceneVectorStore reader = LuceneVectorStore.open(LuceneStoreConfig.builder(dir).readOnly(true).build())) {
            assertThat(reader.health().status()).isEqualTo(HealthStatus.UP);
            assertThat(reader.health().reason()).endsWith(" open read-only, 12 chunks");
            assertThat(reader.health().details()).containsEntry("writable", false);
        }
    }

    @Test
    void aReadThatMeetsDamageMakesItDownAndItStaysDown() throws IOException {
        try (LuceneVectorStore writer = LuceneVectorStore.open(dir)) {
            writer.upsert(chunks(0, 10));
        }
        AtomicBoolean damaged = new AtomicBoolean();
        try (LuceneVectorStore reader = LuceneVectorStore.open(LuceneStoreConfig.builder(dir).readOnly(true).build(),
                d -> new DamagedWhenTold(d, damaged))) {
            assertThat(reader.health().status()).isEqualTo(HealthStatus.UP);
            try (LuceneVectorStore writer = LuceneVectorStore.open(dir)) { // a new commit the reader picks up on its next read
                writer.upsert(chunks(10, 10));
            }
            damaged.set(true);
            Health h = reader.health();
            assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(h.reason()).contains("segments_").contains("parallelrag ingest --rebuild");

            damaged.set(false);
            assertThat(reader.health().status()).as("damage stays until the index is rebuilt").isEqualTo(HealthStatus.DOWN);
        }
    }

    /** The real directory, whose files read as damaged once told: Lucene's checksum error, as a flipped byte gives. */
    private static final class DamagedWhenTold extends FilterDirectory {
        private final AtomicBoolean damaged;

        DamagedWhenTold(Directory in, AtomicBoolean damaged) {
            super(in);
            this.damaged = damaged;
        }

        @Override
        public IndexInput openInput(String name, IOContext context) throws IOException {
            if (damaged.get()) {
                throw new CorruptIndexException("checksum failed (hardware problem?)", name);
            }
            return super.openInput(name, context);
        }
    }
}
