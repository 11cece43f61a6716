package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.DiskFullException;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingest with the local model into a Lucene index whose disk fills up, without mounting anything: the index
 * files sit on a {@link FullDiskDirectory} that holds half of what the ingest needs. The run stops with a
 * {@link DiskFullException} naming the cause and the index, with local inference still running when the disk
 * fills (the model is closed at once afterwards, as the CLI does, which used to crash the JVM); with the space
 * back, a re-run gives exactly the index an uninterrupted run gives.
 */
class DiskFullIngestTest {

    private static final int DOCUMENTS = 8;

    @TempDir
    Path dir;

    @Test
    void aFullDiskStopsTheIngestWithTheCauseAndARerunCompletesTheIndex() throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        try (Stream<Path> files = Files.list(Path.of("../data/sotu"))) {
            for (Path f : files.sorted().limit(DOCUMENTS).toList()) {
                Files.writeString(corpus.resolve(f.getFileName()), Files.readString(f).substring(0, 5000));
            }
        }
        Path reference = dir.resolve("reference");
        IngestSummary uninterrupted = ingest(reference, corpus, Long.MAX_VALUE);
        assertThat(uninterrupted.allSucceeded()).isTrue();
        long needed = sizeOf(reference);

        Path index = dir.resolve("index");
        assertThatThrownBy(() -> ingest(index, corpus, needed / 2))
                .isInstanceOf(DiskFullException.class)
                .hasMessageStartingWith("No space left on device while writing " + index.toAbsolutePath().normalize())
                .satisfies(e -> assertThat(((DiskFullException) e).path()).isEqualTo(index.toAbsolutePath().normalize()));
        assertThat(sizeOf(index)).as("the disk held at most its capacity").isLessThanOrEqualTo(needed / 2);

        IngestSummary resumed = ingest(index, corpus, Long.MAX_VALUE); // space freed
        assertThat(resumed.allSucceeded()).isTrue();
        assertThat(CrashHarness.snapshot(index)).isEqualTo(CrashHarness.snapshot(reference));
        try (LuceneVectorStore a = LuceneVectorStore.open(reference); LuceneVectorStore b = LuceneVectorStore.open(index)) {
            // a chunk id is made of the document, its content hash, the splitter and the chunk's place: same ids, same texts
            assertThat(b.count()).isEqualTo(a.count()).isEqualTo(uninterrupted.chunksAdded());
        }
    }

    /** One ingest with its own model, closed right after the run as the CLI and the engine close theirs. */
    private static IngestSummary ingest(Path index, Path corpus, long capacity) {
        IngestConfig config = IngestConfig.builder(Splitters.recursive(1000, 200)).commitEveryChunks(16).build();
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2();
             LuceneVectorStore store = LuceneVectorStore.open(LuceneStoreConfig.defaults(index),
                     d -> capacity == Long.MAX_VALUE ? d : full(d, capacity));
             ParallelRuntime runtime = ParallelRuntime.create()) {
            return new IngestPipeline(config, model, store, runtime).run(List.of(corpus), IngestListener.NONE);
        }
    }

    private static FullDiskDirectory full(org.apache.lucene.store.Directory d, long capacity) {
        try {
            return new FullDiskDirectory(d, capacity);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path index) throws IOException {
        try (Stream<Path> files = Files.list(index)) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }
}
