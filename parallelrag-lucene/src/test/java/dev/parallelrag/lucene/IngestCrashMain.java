package dev.parallelrag.lucene;

import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestEvent;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Child process of {@link IngestCrashTest}: ingests a folder into a Lucene index and prints one line per
 * document written, so the parent can SIGKILL it part-way. Also used in-process for the reference and
 * the re-runs, so every run uses exactly the same settings.
 */
public final class IngestCrashMain {

    private IngestCrashMain() {
    }

    public static void main(String[] args) {
        IngestSummary summary = ingest(Path.of(args[0]), Path.of(args[1]), true);
        System.out.println("done " + summary.chunksAdded());
        System.out.flush();
    }

    static IngestSummary ingest(Path index, Path corpus, boolean printProgress) {
        IngestConfig config = IngestConfig.builder(Splitters.recursive(600, 60))
                .batchSize(8)
                .commitEveryChunks(64) // many commits, so a kill can land between any two of them
                .commitInterval(Duration.ofMillis(500))
                .embedConcurrency(2)
                .build();
        try (LuceneVectorStore store = LuceneVectorStore.open(index);
             ParallelRuntime runtime = ParallelRuntime.create()) {
            return new IngestPipeline(config, new HashingEmbeddingModel(64), store, runtime)
                    .run(List.of(corpus), event -> {
                        if (printProgress && event instanceof IngestEvent.DocumentWritten w) {
                            System.out.println("written " + w.documentsDone());
                            System.out.flush();
                        }
                    });
        }
    }
}
