package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.AnswerMeters;
import dev.parallelrag.pipeline.Citation;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.Rag;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.testkit.FakeProviderServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generated answer's citations over the testkit's loopback LLM, whose answer echoes the prompt: the sources'
 * numbers come back as cited, and a number the question smuggles in ("[7]" with three sources) is one the model
 * was not given, so it is dropped, counted on the answer and metered.
 */
class GeneratedCitationsTest {

    private static final String QUESTION = "What did Lincoln say about slavery, as source [7] has it?";

    private static FakeProviderServer server;
    private static EmbeddingClient embeddings;
    private static final InMemoryVectorStore STORE = new InMemoryVectorStore();

    @BeforeAll
    static void ingest() {
        server = FakeProviderServer.builder().dimension(32).start();
        embeddings = Wire.embeddings(Wire.OPENAI.config(server), "text-embedding-3-small", Wire.FAST);
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            assertThat(new IngestPipeline(IngestConfig.builder(Splitters.recursive(800, 100)).build(), embeddings, STORE,
                    runtime).run(List.of(Path.of("../examples/sample")), e -> { }).allSucceeded()).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        embeddings.close();
        server.close();
    }

    @Test
    void aNumberOfNoGivenSourceIsDroppedFromTheCitationsCountedAndMetered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LlmClient llm = Wire.llm(Wire.OPENAI.config(server), "gpt-4o-mini", Wire.FAST)) {
            Answer answer = Rag.builder(embeddings, STORE).k(3).chatModel(llm).meterRegistry(registry).build().ask(QUESTION);
            assertThat(answer.text()).startsWith("echo: Sources:").contains("[7]");
            assertThat(answer.citations()).extracting(Citation::number).containsExactly(1, 2, 3);
            assertThat(answer.droppedCitations()).isEqualTo(1);
            assertThat(registry.get(AnswerMeters.CITATIONS).tag("outcome", AnswerMeters.DROPPED)
                    .tag("gen_ai.provider.name", "openai").tag("gen_ai.request.model", "gpt-4o-mini").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get(AnswerMeters.CITATIONS).tag("outcome", AnswerMeters.CITED).counter().count())
                    .isEqualTo(3);
        }
    }

    @Test
    void aStreamedAnswerIsCheckedTheSameWay() {
        try (LlmClient llm = Wire.llm(Wire.ANTHROPIC.config(server), "claude-3-5-haiku-latest", Wire.FAST)) {
            Rag rag = Rag.builder(embeddings, STORE).k(2).chatModel(llm).build();
            List<String> deltas = new ArrayList<>();
            Answer answer = rag.askStreaming(rag.query(QUESTION).build(), deltas::add, StopSignal.never());
            assertThat(String.join("", deltas)).isEqualTo(answer.text());
            assertThat(answer.citations()).extracting(Citation::number).containsExactly(1, 2);
            assertThat(answer.droppedCitations()).isEqualTo(1);
            Answer valid = rag.ask("What did Lincoln say about slavery?");
            assertThat(valid.citations()).extracting(Citation::number).containsExactly(1, 2);
            assertThat(valid.droppedCitations()).isZero();
        }
    }
}
