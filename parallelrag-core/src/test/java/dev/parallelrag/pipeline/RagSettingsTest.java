package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.SearchMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Rag.Builder#mode} and {@link Rag.Builder#sentences}, set away from their defaults, change the answer. */
class RagSettingsTest {

    private static final HashingEmbeddingModel EMBEDDER = new HashingEmbeddingModel(256);
    private static final InMemoryVectorStore STORE = new InMemoryVectorStore();

    @BeforeAll
    static void ingestSample() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            new IngestPipeline(IngestConfig.builder(Splitters.recursive(800, 100)).build(), EMBEDDER, STORE, runtime)
                    .run(List.of(Path.of("../examples/sample")), e -> { });
        }
    }

    @AfterAll
    static void close() {
        STORE.close();
    }

    @Test
    void sentencesIsTheLengthOfAnExtractiveAnswer() {
        assertThat(Rag.builder(EMBEDDER, STORE).build().ask("the union and slavery").citations()).hasSize(3);
        assertThat(Rag.builder(EMBEDDER, STORE).sentences(1).build().ask("the union and slavery").citations()).hasSize(1);
        assertThat(Rag.builder(EMBEDDER, STORE).sentences(5).build().ask("the union and slavery").citations()).hasSize(5);
    }

    @Test
    void modeIsHowTheQuestionIsSearched() {
        // the in-memory store has vector search only: hybrid (the default) and vector answer, keyword cannot
        assertThat(Rag.builder(EMBEDDER, STORE).build().ask("the union and slavery").citations()).isNotEmpty();
        assertThat(Rag.builder(EMBEDDER, STORE).mode(SearchMode.VECTOR).build().ask("the union and slavery").citations())
                .isNotEmpty();
        assertThatThrownBy(() -> Rag.builder(EMBEDDER, STORE).mode(SearchMode.KEYWORD).build().ask("the union and slavery"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("keyword");
    }
}
