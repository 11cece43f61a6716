package dev.parallelrag.lucene;

import dev.parallelrag.engine.IngestOptions;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.pipeline.IngestEvent;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.split.Splitters;
import java.nio.file.Path;
import java.util.List;

/**
 * Child process of {@link RebuildCrashTest}: ingests a folder through the engine, as a rebuild when asked, and
 * prints one line per document written so the parent can SIGKILL it part-way. Also used in-process for the
 * reference and the re-runs, so every run uses exactly the same settings.
 */
public final class RebuildCrashMain {

    private RebuildCrashMain() {
    }

    public static void main(String[] args) {
        IngestSummary summary = ingest(Path.of(args[0]), Path.of(args[1]), Boolean.parseBoolean(args[2]), true);
        System.out.println("done " + summary.chunksAdded());
        System.out.flush();
    }

    static IngestSummary ingest(Path index, Path corpus, boolean rebuild, boolean printProgress) {
        try (ParallelRag rag = ParallelRag.builder(index).embeddingModel(new HashingEmbeddingModel(64))
                .splitter(Splitters.recursive(600, 60)).rebuild(rebuild).build()) {
            return rag.ingest(List.of(corpus), IngestOptions.builder().listener(event -> {
                if (printProgress && event instanceof IngestEvent.DocumentWritten w) {
                    System.out.println("written " + w.documentsDone());
                    System.out.flush();
                }
            }).build());
        }
    }
}
