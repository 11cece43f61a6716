package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage on disk is found by the checksums, named, refused before a write, and discarded by a rebuild. */
class LuceneIntegrityTest {

    @TempDir
    Path dir;

    private final LuceneStoreProvider provider = new LuceneStoreProvider();

    private static List<StoredChunk> chunks(int from, int n) {
        List<StoredChunk> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            String text = "chunk number " + i + " of the state of the union, about trade, war and the economy";
            out.add(new StoredChunk("c" + i, "doc" + i % 7, "doc" + i % 7, 0, text.length(), text, "h" + i, "m",
                    Map.of(), new float[] {(float) Math.sin(i), (float) Math.cos(i), 1}));
        }
        return out;
    }

    /** An index of two segments, committed with a recorded piece of metadata. */
    private void buildIndex() {
        try (LuceneVectorStore store = LuceneVectorStore.open(dir)) {
            store.upsert(chunks(0, 300));
            store.putIndexMetadata(Map.of("embedder.kind", "local", "last_ingest", "{}"));
            store.commit();
            store.upsert(chunks(300, 200));
        }
    }

    /** The largest data file of the index: a compound segment file. */
    private Path largestSegmentFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cfs"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
    }

    private Path commitFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
        }
    }

    private static void flipByteInTheMiddle(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    @Test
    void anIntactIndexVerifiesEveryFileOfItsLastCommit() throws IOException {
        buildIndex();
        IntegrityReport report = provider.verify(StoreLocation.directory(dir));
        assertThat(report.intact()).isTrue();
        assertThat(report.chunks()).isEqualTo(500);
        long onDisk;
        try (Stream<Path> files = Files.list(dir)) {
            onDisk = files.filter(f -> !f.getFileName().toString().equals("write.lock")).mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(report.bytesChecked()).as("every byte of the index is read").isEqualTo(onDisk);
        assertThat(report.filesChecked()).isGreaterThanOrEqualTo(7); // two segments of .cfs/.cfe/.si, and segments_N
    }

    @Test
    void aFlippedByteInASegmentIsNamedByVerifyAndRefusedBeforeAnyWrite() throws IOException {
        buildIndex();
        Path damaged = largestSegmentFile();
        flipByteInTheMiddle(damaged);
        String name = damaged.getFileName().toString();

        IntegrityReport report = provider.verify(StoreLocation.directory(dir));
        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo(name);
            assertThat(p.description()).contains("checksum failed");
        });

        Map<String, byte[]> before = snapshot();
        assertThatThrownBy(() -> LuceneVectorStore.open(dir))
                .isInstanceOfSatisfying(IndexCorruptException.class, e -> assertThat(e.files()).containsExactly(name))
                .hasMessageContaining(name)
                .hasMessageContaining("parallelrag ingest --rebuild")
                .hasMessageNotContaining("permissions");
        assertThat(snapshot()).as("the refused open wrote nothing").containsOnlyKeys(before.keySet())
                .allSatisfy((file, bytes) -> assertThat(bytes).isEqualTo(before.get(file)));
    }

    @Test
    void aZeroedBlockInASegmentIsFoundToo() throws IOException {
        buildIndex();
        Path damaged = largestSegmentFile();
        byte[] bytes = Files.readAllBytes(damaged);
        java.util.Arrays.fill(bytes, bytes.length / 4, bytes.length / 4 + 4096, (byte) 0); // a lost 4 KB page
        Files.write(damaged, bytes);
        assertThat(provider.verify(StoreLocation.directory(dir)).problems()).extracting(IntegrityReport.Problem::subject)
                .containsExactly(damaged.getFileName().toString());
    }

    @Test
    void aDamagedCommitRecordIsNamedAndEvenAReadOnlyOpenSaysSo() throws IOException {
        buildIndex();
        Path commit = commitFile();
        flipByteInTheMiddle(commit);
        String name = commit.getFileName().toString();

        assertThat(provider.verify(StoreLocation.directory(dir)).problems()).extracting(IntegrityReport.Problem::subject).containsExactly(name);
        assertThatThrownBy(() -> provider.open(StoreLocation.directory(dir), true)).isInstanceOf(IndexCorruptException.class)
                .hasMessageContaining(name).hasMessageContaining("--rebuild").hasMessageNotContaining("permissions");
        assertThatThrownBy(() -> provider.recordedMetadata(StoreLocation.directory(dir))).isInstanceOf(IndexCorruptException.class);
    }

    @Test
    void discardEmptiesADamagedIndexAndKeepsItsRecordButNotItsChunkFacts() throws IOException {
        buildIndex();
        flipByteInTheMiddle(largestSegmentFile());
        Files.createDirectories(dir.resolve("embedding-cache"));
        Files.writeString(dir.resolve("embedding-cache/embeddings.cache"), "kept");

        assertThat(provider.discard(StoreLocation.directory(dir))).isTrue();

        assertThat(provider.verify(StoreLocation.directory(dir)).intact()).isTrue();
        try (VectorStore store = provider.open(StoreLocation.directory(dir), false)) {
            assertThat(store.count()).isZero();
            assertThat(store.dimension()).as("a rebuild may use another model").isZero();
            assertThat(store.indexMetadata()).containsEntry("embedder.kind", "local").containsEntry("store.kind", "lucene")
                    .doesNotContainKey("last_ingest");
            store.upsert(chunks(0, 10));
        }
        assertThat(provider.verify(StoreLocation.directory(dir)).chunks()).isEqualTo(10);
        assertThat(Files.readString(dir.resolve("embedding-cache/embeddings.cache"))).isEqualTo("kept");
    }

    @Test
    void discardOfAnIndexWhoseRecordIsDamagedDeletesItsFilesAndLeavesTheRest() throws IOException {
        buildIndex();
        flipByteInTheMiddle(commitFile());
        Files.createDirectories(dir.resolve("embedding-cache"));
        Files.writeString(dir.resolve("notes.txt"), "not the store's");

        assertThat(provider.discard(StoreLocation.directory(dir))).as("the record could not be kept").isFalse();

        assertThat(provider.holdsIndex(StoreLocation.directory(dir))).isFalse();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("embedding-cache", "notes.txt",
                    "write.lock");
        }
    }

    @Test
    void aDiscardKilledAfterItsCommitPointsWentLeavesFilesTheNextIndexDoesNotTripOn() throws IOException {
        buildIndex();
        Files.delete(commitFile()); // what a kill between the two phases of a discard leaves: segment files, no commit
        assertThat(provider.holdsIndex(StoreLocation.directory(dir))).isFalse();

        try (LuceneVectorStore store = LuceneVectorStore.open(dir)) {
            store.upsert(chunks(0, 40));
            store.commit();
            store.upsert(chunks(40, 40));
        }
        IntegrityReport report = provider.verify(StoreLocation.directory(dir));
        assertThat(report.intact()).isTrue();
        assertThat(report.chunks()).isEqualTo(80);
        try (LuceneVectorStore store = LuceneVectorStore.open(LuceneStoreConfig.builder(dir).readOnly(true).build())) {
            assertThat(store.search(new float[] {(float) Math.sin(79), (float) Math.cos(79), 1}, 1).getFirst().chunkId())
                    .isEqualTo("c79");
        }
    }
}
