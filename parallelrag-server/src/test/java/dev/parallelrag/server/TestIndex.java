package dev.parallelrag.server;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A small real Lucene index, embedded by the hashing model of core's tests, for a server to serve. */
final class TestIndex {

    static final int DIMENSION = 32;

    private TestIndex() {
    }

    /** Builds an index of two short documents under {@code dir} and returns the engine over it, not loaded yet. */
    static ParallelRag open(Path dir) throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("lincoln.txt"), "Lincoln spoke of the slave trade and of union.\n");
        Files.writeString(docs.resolve("washington.txt"), "Washington spoke of the militia and of credit.\n");
        Path index = dir.resolve("index");
        try (ParallelRag builder = ParallelRag.builder(index).embeddingModel(new HashingEmbeddingModel(DIMENSION))
                .embeddingCache(false).build()) {
            builder.ingest(List.of(docs));
        }
        return engine(index);
    }

    /** The engine over an index that exists (or not yet), its model not loaded. */
    static ParallelRag engine(Path index) {
        return ParallelRag.builder(index).embeddingModel(new HashingEmbeddingModel(DIMENSION)).embeddingCache(false).build();
    }
}
