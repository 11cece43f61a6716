package dev.parallelrag.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.pipeline.IngestItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's document listing and delete, and its ingest of caller-named items, on the Lucene store. */
class EngineDocumentsTest {

    @TempDir
    Path dir;

    private ParallelRag open(Path index) {
        return ParallelRag.builder(index).embeddingModel(new HashingEmbeddingModel(32)).embeddingCache(false).build();
    }

    private static List<IngestItem> texts(int n) {
        List<IngestItem> items = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            items.add(IngestItem.text(new Document(String.format("doc-%02d", i), ("Text number " + i + ". ").repeat(i + 1))));
        }
        return items;
    }

    @Test
    void documentsArePagedInIdOrderWithTheirSourceAndChunkCount() {
        try (ParallelRag rag = open(dir.resolve("index"))) {
            rag.ingestItems(texts(5), IngestOptions.defaults());

            DocumentPage first = rag.documents(1, 2);
            DocumentPage last = rag.documents(3, 2);
            DocumentPage beyond = rag.documents(4, 2);

            assertThat(first.documents()).extracting(DocumentPage.IndexedDocument::id).containsExactly("doc-00", "doc-01");
            assertThat(first.documents()).allSatisfy(d -> assertThat(d.source()).isEqualTo(d.id()));
            assertThat(first.total()).isEqualTo(5);
            assertThat(first.hasMore()).isTrue();
            assertThat(last.documents()).extracting(DocumentPage.IndexedDocument::id).containsExactly("doc-04");
            assertThat(last.hasMore()).isFalse();
            assertThat(beyond.documents()).isEmpty();
            long sum = rag.documents(1, DocumentPage.MAX_SIZE).documents().stream()
                    .mapToLong(DocumentPage.IndexedDocument::chunks).sum();
            assertThat(sum).isEqualTo(rag.stats().chunks());
        }
    }

    @Test
    void aPageOrSizeOutOfRangeIsRefusedNamingTheField() {
        try (ParallelRag rag = open(dir.resolve("index"))) {
            assertThatThrownBy(() -> rag.documents(0, 10)).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.field()).isEqualTo("page"));
            assertThatThrownBy(() -> rag.documents(1, 0)).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.field()).isEqualTo("size"));
            assertThatThrownBy(() -> rag.documents(1, DocumentPage.MAX_SIZE + 1))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("1000");
        }
    }

    @Test
    void aLocationWithoutAnIndexListsNothingAndADeleteCreatesNothing() {
        Path index = dir.resolve("none");
        try (ParallelRag rag = open(index)) {
            assertThat(rag.documents(1, 10).documents()).isEmpty();
            assertThat(rag.documents(1, 10).total()).isZero();
            assertThat(rag.deleteDocument("anything")).isZero();
        }
        assertThat(index).doesNotExist();
    }

    @Test
    void deleteDocumentRemovesItsChunksDurablyAndLeavesTheOthers() throws Exception {
        Path index = dir.resolve("index");
        long chunksOfDoc3;
        try (ParallelRag rag = open(index)) {
            rag.ingestItems(texts(4), IngestOptions.defaults());
            chunksOfDoc3 = rag.documents(1, 10).documents().get(3).chunks();

            assertThat(rag.deleteDocument("doc-03")).isEqualTo(chunksOfDoc3);
            assertThat(rag.deleteDocument("doc-03")).isZero();
            assertThatThrownBy(() -> rag.deleteDocument(" ")).isInstanceOf(ValidationException.class);
        }
        try (ParallelRag reopened = open(index)) { // committed: a new engine sees it gone
            assertThat(reopened.documents(1, 10).documents()).extracting(DocumentPage.IndexedDocument::id)
                    .containsExactly("doc-00", "doc-01", "doc-02");
        }
        assertThat(ParallelRag.verify(index).intact()).isTrue();
    }

    @Test
    void ingestItemsTakesFilesUnderTheirGivenIdsAndRefusesWalkOptions() throws Exception {
        Path file = Files.writeString(dir.resolve("tmp-upload-7f3a.txt"), "Comets have tails of dust and gas.");
        try (ParallelRag rag = open(dir.resolve("index"))) {
            rag.ingestItems(List.of(IngestItem.file(file, "comets.txt")), IngestOptions.defaults());

            assertThat(rag.documents(1, 10).documents()).extracting(DocumentPage.IndexedDocument::id)
                    .containsExactly("comets.txt");
            assertThat(rag.search("comets").getFirst().source()).isEqualTo("comets.txt");
            assertThatThrownBy(() -> rag.ingestItems(List.of(IngestItem.file(file, "c.txt")),
                    IngestOptions.builder().prune(true).build())).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("prune");
            assertThatThrownBy(() -> rag.ingestItems(List.of(IngestItem.file(file, "c.txt")),
                    IngestOptions.builder().include(List.of("*.md")).build())).isInstanceOf(ValidationException.class);
        }
    }
}
