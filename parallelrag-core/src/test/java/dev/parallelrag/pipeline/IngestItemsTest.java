package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.MetadataFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IngestPipeline#runItems}: documents named by the caller, from files anywhere or from memory. */
class IngestItemsTest {

    @TempDir
    Path dir;

    private final ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build());
    private final InMemoryVectorStore store = new InMemoryVectorStore();
    private final HashingEmbeddingModel model = new HashingEmbeddingModel(32);

    @AfterEach
    void close() {
        runtime.close();
    }

    private IngestPipeline pipeline() {
        return new IngestPipeline(IngestConfig.builder(Splitters.recursive(80, 0)).build(), model, store, runtime);
    }

    @Test
    void aFileIsStoredUnderTheIdGivenAndTheSameContentFromAnotherPathIsUnchanged() throws Exception {
        String text = "Owls hunt at night. They see well in the dark. Their feathers are soft and silent.";
        Path first = Files.writeString(Files.createDirectories(dir.resolve("upload-1")).resolve("owls.txt"), text);
        Path second = Files.writeString(Files.createDirectories(dir.resolve("upload-2")).resolve("owls.txt"), text);

        IngestSummary a = pipeline().runItems(List.of(IngestItem.file(first, "owls.txt")), IngestListener.NONE,
                StopSignal.never());
        long calls = model.calls.get();
        IngestSummary b = pipeline().runItems(List.of(IngestItem.file(second, "owls.txt")), IngestListener.NONE,
                StopSignal.never());

        assertThat(a.documentsIngested()).isEqualTo(1);
        assertThat(b.documentsUnchanged()).isEqualTo(1);
        assertThat(b.chunksAdded()).isZero();
        assertThat(model.calls.get()).isEqualTo(calls);
        assertThat(store.documentIds()).containsExactly("owls.txt");
        assertThat(store.search(model.embed("owls"), 1).getFirst().source()).isEqualTo("owls.txt");
    }

    @Test
    void aTextKeepsItsIdAndMetadataAndItemsAreWrittenInTheOrderGiven() {
        List<IngestEvent> events = new ArrayList<>();
        IngestSummary summary = pipeline().runItems(List.of(
                IngestItem.text(new Document("z-note", "Zebras have stripes. Each pattern is unique.",
                        java.util.Map.of("topic", "zebra"))),
                IngestItem.text(new Document("a-note", "Ants carry leaves. They work together."))),
                events::add, StopSignal.never());

        assertThat(summary.files()).isEqualTo(2);
        assertThat(summary.documentsIngested()).isEqualTo(2);
        assertThat(events).filteredOn(IngestEvent.DocumentWritten.class::isInstance)
                .extracting(e -> ((IngestEvent.DocumentWritten) e).source()).containsExactly("z-note", "a-note");
        assertThat(store.search(model.embed("zebras"), 5, MetadataFilter.eq("topic", "zebra")))
                .isNotEmpty().allSatisfy(h -> assertThat(h.documentId()).isEqualTo("z-note"));
    }

    @Test
    void noItemsOrARepeatedIdAreRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> pipeline().runItems(List.of(), IngestListener.NONE, StopSignal.never()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("items");
        List<IngestItem> twice = List.of(IngestItem.text(new Document("same", "One text.")),
                IngestItem.text(new Document("same", "Another text.")));
        assertThatThrownBy(() -> pipeline().runItems(twice, IngestListener.NONE, StopSignal.never()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("same");
        assertThat(store.count()).isZero();
    }

    @Test
    void aFileThatCannotBeReadFailsAloneWithItsId() throws Exception {
        Path good = Files.writeString(dir.resolve("good.txt"), "Rivers flow to the sea.");
        IngestSummary summary = pipeline().runItems(List.of(IngestItem.file(dir.resolve("missing.txt"), "lost.txt"),
                IngestItem.file(good, "good.txt")), IngestListener.NONE, StopSignal.never());

        assertThat(summary.documentsFailed()).isEqualTo(1);
        assertThat(summary.failures().getFirst().source()).isEqualTo("lost.txt");
        assertThat(summary.failures().getFirst().stage()).isEqualTo("read");
        assertThat(store.documentIds()).containsExactly("good.txt");
    }
}
