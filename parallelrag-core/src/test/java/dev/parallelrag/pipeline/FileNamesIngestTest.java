package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.read.BashFiles;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file name is ingested under its own id, whatever its bytes and the locale, and a file that cannot be
 * opened is one failure in the summary while the rest is ingested. (The CLI's {@code FileNamesCliTest} runs
 * the same folder under {@code LANG=C}; this JVM may run under any locale.)
 */
class FileNamesIngestTest {

    @TempDir
    Path dir;

    private final InMemoryVectorStore store = new InMemoryVectorStore();

    private IngestSummary ingest(boolean prune) {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            IngestConfig config = IngestConfig.builder(Splitters.recursive(200, 0)).prune(prune).build();
            return new IngestPipeline(config, new HashingEmbeddingModel(32), store, runtime).run(List.of(dir), IngestListener.NONE);
        }
    }

    @Test
    void namesThatDecodeAlikeAreDistinctDocumentsAndAnUnopenableOneIsReported() throws Exception {
        BashFiles.create(dir, "\\xc3\\xbcn\\xc3\\xaf_\\xe6\\x97\\xa5\\xe6\\x9c\\xac.txt", "x\\xff.txt", "x\\xfe.txt");
        BashFiles.run(dir, "ln -s missing-target $'gone\\xfd.txt' && mkfifo $'pipe\\xfc.txt'");

        IngestSummary summary = ingest(false);

        String d = dir + "/";
        assertThat(store.documentIds()).containsExactlyInAnyOrder(d + "ünï_日本.txt", d + "x\\xff.txt", d + "x\\xfe.txt");
        assertThat(summary.documentsIngested()).isEqualTo(3).isEqualTo(store.documentIds().size());
        assertThat(summary.chunksAdded()).isEqualTo(store.count());
        assertThat(summary.failures()).extracting(FileFailure::source).containsExactly(d + "gone\\xfd.txt", d + "pipe\\xfc.txt");
        assertThat(summary.failures().get(0).message()).contains(d + "gone\\xfd.txt").contains("broken symbolic link")
                .doesNotContain("\uFFFD");
        assertThat(summary.failures().get(1).message()).contains(d + "pipe\\xfc.txt").contains("not a regular file");
        // each document holds its own file's text: nothing was overwritten by a namesake
        float[] anyVector = new float[32];
        Arrays.fill(anyVector, 1f);
        for (String name : List.of("x\\xff.txt", "x\\xfe.txt")) {
            assertThat(store.search(anyVector, 10, MetadataFilter.documentId(d + name)))
                    .extracting(SearchHit::text).containsExactly("file " + name);
        }
    }

    @Test
    void pruneRemovesExactlyTheFileThatIsGone() throws Exception {
        BashFiles.create(dir, "x\\xff.txt", "x\\xfe.txt", "\\xc3\\xbc.txt");
        ingest(false);
        BashFiles.run(dir, "rm $'x\\xff.txt'");

        IngestSummary summary = ingest(true);

        assertThat(summary.documentsPruned()).isEqualTo(1);
        assertThat(summary.documentsUnchanged()).isEqualTo(2);
        assertThat(store.documentIds()).containsExactlyInAnyOrder(dir + "/x\\xfe.txt", dir + "/ü.txt");
    }
}
