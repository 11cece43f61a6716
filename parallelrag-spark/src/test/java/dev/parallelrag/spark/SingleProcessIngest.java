package dev.parallelrag.spark;

import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.pgvector.PgVectorConfig;
import dev.parallelrag.pgvector.PgVectorStore;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.SplitterSpec;
import java.nio.file.Path;
import java.util.List;

/** The library's own ingest in one process: {@link IngestPipeline} into a {@link PgVectorStore}, the reference run. */
final class SingleProcessIngest {

    private SingleProcessIngest() {
    }

    static IngestSummary into(String table, Path dir) {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.named(OnnxEmbeddingModel.ALL_MINILM_L6_V2, OnnxEmbeddingConfig.defaults());
             PgVectorStore store = PgVectorStore.open(PgVectorConfig.builder(TestPostgres.url()).table(table)
                     .expect(model.modelId(), model.dimension()).poolSize(2).build());
             ParallelRuntime runtime = ParallelRuntime.create()) {
            return new IngestPipeline(IngestConfig.builder(SplitterSpec.defaults().create()).build(), model, store, runtime)
                    .run(List.of(dir), IngestListener.NONE);
        }
    }
}
