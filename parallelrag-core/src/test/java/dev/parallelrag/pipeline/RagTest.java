package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RagTest {

    private static final HashingEmbeddingModel MODEL = new HashingEmbeddingModel(256);
    private static final BatchEmbedder EMBEDDER = BatchEmbedder.of(MODEL);
    private static final InMemoryVectorStore STORE = new InMemoryVectorStore();
    private static ParallelRuntime runtime;

    @BeforeAll
    static void ingestSample() {
        runtime = ParallelRuntime.create();
        IngestSummary summary = new IngestPipeline(IngestConfig.builder(Splitters.recursive(800, 100)).build(), EMBEDDER, STORE,
                runtime).run(List.of(Path.of("../examples/sample")), e -> { });
        assertThat(summary.allSucceeded()).isTrue();
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void extractiveAnswerQuotesSentencesWithCitations() throws Exception {
        Answer answer = Rag.builder(EMBEDDER, STORE).build().ask("What did Lincoln say about emancipation and slavery?");
        assertThat(answer.mode()).isEqualTo(Answer.Mode.EXTRACTIVE);
        assertThat(answer.citations()).hasSize(3);
        assertThat(answer.text()).contains("[1]").contains("[2]").contains("[3]");
        for (Citation c : answer.citations()) {
            assertThat(answer.text()).contains(c.text().strip().replaceAll("\\s+", " "));
            String file = Files.readString(Path.of(c.source()));
            assertThat(file.substring(c.start(), c.end())).isEqualTo(c.text());
            assertThat(c.lineStart()).isPositive().isLessThanOrEqualTo(c.lineEnd());
            assertThat(file.lines().skip(c.lineStart() - 1).findFirst().orElseThrow()).contains(c.text().lines().findFirst().orElseThrow().strip());
        }
        assertThat(answer.citations().get(0).score()).isGreaterThanOrEqualTo(answer.citations().get(2).score());
        assertThat(answer.usage()).isEqualTo(Answer.Usage.NONE);
        assertThat(answer.fallbackReason()).isNull();
    }

    @Test
    void generatedAnswerGetsNumberedSourcesAndReturnsCitations() {
        AtomicReference<String> seenPrompt = new AtomicReference<>();
        AnswerGenerator llm = (system, prompt) -> {
            seenPrompt.set(prompt);
            assertThat(system).contains("Cite");
            return new AnswerGenerator.Generation("Lincoln spoke of emancipation [1].", new Answer.Usage(120, 8, 128));
        };
        Answer answer = Rag.builder(EMBEDDER, STORE).k(4).generator(llm).build().ask("emancipation");
        assertThat(answer.mode()).isEqualTo(Answer.Mode.GENERATED);
        assertThat(answer.text()).isEqualTo("Lincoln spoke of emancipation [1].");
        assertThat(answer.citations()).hasSize(4).extracting(Citation::number).containsExactly(1, 2, 3, 4);
        assertThat(seenPrompt.get()).contains("[1] ").contains("[4] ").contains("Question: emancipation").contains("(lines ");
        assertThat(answer.usage().totalTokens()).isEqualTo(128);
    }

    @Test
    void failingLlmIsAnErrorUnlessFallbackIsOn() {
        AnswerGenerator broken = (s, p) -> {
            throw new ProviderException("openai: HTTP 503 after 4 attempts", 503, "overloaded", true);
        };
        assertThatThrownBy(() -> Rag.builder(EMBEDDER, STORE).generator(broken).build().ask("emancipation"))
                .isInstanceOf(ProviderException.class);
        Answer answer = Rag.builder(EMBEDDER, STORE).generator(broken).fallbackToExtractive(true).build().ask("emancipation");
        assertThat(answer.extractive()).isTrue();
        assertThat(answer.fallbackReason()).contains("503");
        assertThat(answer.citations()).isNotEmpty();
    }

    @Test
    void blankQuestionAndKeywordSearchOnVectorOnlyStoreAreValidationErrors() {
        Rag rag = Rag.builder(EMBEDDER, STORE).build();
        assertThatThrownBy(() -> rag.ask("  ")).isInstanceOf(ValidationException.class).hasMessageContaining("question");
        assertThatThrownBy(() -> rag.search("tariffs", 3, SearchMode.KEYWORD)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("keyword");
        assertThatThrownBy(() -> Rag.builder(EMBEDDER, STORE).k(0).build()).isInstanceOf(ValidationException.class);
        assertThat(rag.search("tariffs", 3, SearchMode.VECTOR)).hasSize(3);
    }
}
