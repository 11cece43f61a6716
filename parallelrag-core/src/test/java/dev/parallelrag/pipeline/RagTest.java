package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.llm.Role;
import dev.parallelrag.stats.TokenUsage;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RagTest {

    private static final HashingEmbeddingModel MODEL = new HashingEmbeddingModel(256);
    private static final HashingEmbeddingModel EMBEDDER = MODEL;
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
        assertThat(answer.usage().completionTokens()).isEqualTo(Rag.TOKENIZER.length(answer.text())); // counted, never 0
        assertThat(answer.usage().promptTokens()).isPositive();
        assertThat(answer.fallbackReason()).isNull();
    }

    @Test
    void generatedAnswerGetsNumberedSourcesAndReturnsCitations() {
        AtomicReference<ChatRequest> seen = new AtomicReference<>();
        ChatModel llm = new FixedChatModel(request -> {
            seen.set(request);
            return new ChatResult("Lincoln spoke of emancipation [1].", "fixed", "", "stop", new TokenUsage(120, 8, 128));
        });
        Answer answer = Rag.builder(EMBEDDER, STORE).k(4).chatModel(llm).build().ask("emancipation");
        assertThat(seen.get().messages()).extracting(ChatMessage::role).containsExactly(Role.SYSTEM, Role.USER);
        assertThat(seen.get().systemPrompt()).contains("Cite");
        String seenPrompt = seen.get().conversation().get(0).content();
        assertThat(answer.mode()).isEqualTo(Answer.Mode.GENERATED);
        assertThat(answer.text()).isEqualTo("Lincoln spoke of emancipation [1].");
        assertThat(answer.citations()).extracting(Citation::number).containsExactly(1); // the one the text cites
        assertThat(answer.citations().getFirst().chunkId()).isEqualTo(
                Rag.builder(EMBEDDER, STORE).k(4).build().search("emancipation", 4, SearchMode.HYBRID).getFirst().chunkId());
        assertThat(answer.droppedCitations()).isZero();
        assertThat(seenPrompt).contains("[1] ").contains("[4] ").contains("Question: emancipation").contains("(lines ");
        assertThat(answer.usage().totalTokens()).isEqualTo(128);
    }

    @Test
    void citationNumbersOfNoGivenSourceAreDroppedCountedAndMetered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChatModel llm = new FixedChatModel(request -> new ChatResult(
                "Emancipation [3][1], see [7] and [2, 9]; the list args[4] is code, not a citation [3].", "fixed", "", "stop",
                new TokenUsage(120, 8, 128)));
        Answer answer = Rag.builder(EMBEDDER, STORE).k(4).chatModel(llm).meterRegistry(registry).build().ask("emancipation");
        assertThat(answer.citations()).extracting(Citation::number).containsExactly(1, 2, 3);
        assertThat(answer.droppedCitations()).isEqualTo(2); // 7 and 9: the model was given sources 1 to 4
        assertThat(answer.text()).contains("[7]"); // the text stays as the model wrote it
        assertThat(registry.get(AnswerMeters.CITATIONS).tag("outcome", AnswerMeters.DROPPED).tag("gen_ai.provider.name",
                "fixed").counter().count()).isEqualTo(2);
        assertThat(registry.get(AnswerMeters.CITATIONS).tag("outcome", AnswerMeters.CITED).counter().count()).isEqualTo(3);
        Rag.builder(EMBEDDER, STORE).k(4).chatModel(llm).build().ask("emancipation"); // no registry: nothing measured
        assertThat(registry.get(AnswerMeters.CITATIONS).tag("outcome", AnswerMeters.DROPPED).counter().count()).isEqualTo(2);
    }

    @Test
    void anExtractiveAnswerOverHeavilyOverlappingChunksNeverQuotesASentenceAndAPieceOfIt() throws Exception {
        InMemoryVectorStore overlapping = new InMemoryVectorStore();
        IngestSummary summary = new IngestPipeline(IngestConfig.builder(Splitters.recursive(240, 160)).build(), EMBEDDER,
                overlapping, runtime).run(List.of(Path.of("../examples/sample")), e -> { });
        assertThat(summary.allSucceeded()).isTrue();
        Rag rag = Rag.builder(EMBEDDER, overlapping).k(8).sentences(6).build();
        int answersFromOverlappingChunks = 0;
        for (String q : List.of("emancipation and slavery", "the union of the states", "taxes and the public debt",
                "war and peace with foreign nations", "the banks and the currency", "health care for families")) {
            List<dev.parallelrag.store.SearchHit> hits = rag.search(q, 8, SearchMode.HYBRID);
            if (hits.stream().anyMatch(a -> hits.stream().anyMatch(b -> a != b && a.documentId().equals(b.documentId())
                    && a.start() < b.end() && b.start() < a.end()))) {
                answersFromOverlappingChunks++;
            }
            List<Citation> cs = rag.ask(q).citations();
            for (Citation a : cs) {
                for (Citation b : cs) {
                    if (a != b) {
                        assertThat(a.source().equals(b.source()) && a.start() < b.end() && b.start() < a.end())
                                .as("%s: [%d] %s overlaps [%d] %s", q, a.number(), a.text(), b.number(), b.text()).isFalse();
                        assertThat(a.text()).as(q).doesNotContain(b.text());
                    }
                }
                assertThat(Files.readString(Path.of(a.source())).substring(a.start(), a.end())).isEqualTo(a.text());
            }
        }
        assertThat(answersFromOverlappingChunks).as("questions whose chunks overlap, so fragments could appear").isPositive();
    }

    @Test
    void failingLlmIsAnErrorUnlessFallbackIsOn() {
        ChatModel broken = new FixedChatModel(request -> {
            throw new ProviderException("openai: HTTP 503 after 4 attempts", 503, "overloaded", true);
        });
        assertThatThrownBy(() -> Rag.builder(EMBEDDER, STORE).chatModel(broken).build().ask("emancipation"))
                .isInstanceOf(ProviderException.class);
        Answer answer = Rag.builder(EMBEDDER, STORE).chatModel(broken).fallbackToExtractive(true).build().ask("emancipation");
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

    /** A chat model that answers with a function of the request (no network). */
    private record FixedChatModel(Function<ChatRequest, ChatResult> answer) implements ChatModel {
        @Override
        public String provider() {
            return "fixed";
        }

        @Override
        public String model() {
            return "fixed";
        }

        @Override
        public ChatResult chat(ChatRequest request) {
            return answer.apply(request);
        }

        @Override
        public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
            ChatResult r = answer.apply(request);
            onDelta.accept(r.content());
            return r;
        }
    }
}
