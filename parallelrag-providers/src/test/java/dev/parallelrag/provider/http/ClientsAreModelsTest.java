package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.pipeline.Rag;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The clients are the model interfaces, and calls through those interfaces get the full protection. */
class ClientsAreModelsTest {

    private FakeProviderServer server;

    @BeforeEach
    void start() {
        server = FakeProviderServer.builder().dimension(32).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chatThroughTheModelInterfaceIsRetriedAndCounted() {
        server.faults(FaultPlan.sequence(Fault.status(500)));
        try (LlmClient llm = Wire.llm(Wire.OPENAI.config(server), "gpt-4o-mini", Wire.FAST)) {
            ChatModel model = llm;
            ChatResult r = model.chat(new ChatRequest(List.of(ChatMessage.system("Be brief."), ChatMessage.user("ping")),
                    CompletionOptions.defaults()));
            assertThat(r.content()).isEqualTo(FakeContent.answer("ping"));
            assertThat(r.usage().totalTokens()).isPositive();
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(llm.stats().retries()).isEqualTo(1);
            assertThat(llm.stats().successes()).isEqualTo(1);
            assertThat(model.provider()).isEqualTo("openai");
            assertThat(model.model()).isEqualTo("gpt-4o-mini");
        }
    }

    @Test
    void streamThroughTheModelInterfaceIsRetriedAndCounted() {
        server.faults(FaultPlan.sequence(Fault.status(503)));
        try (LlmClient llm = Wire.llm(Wire.ANTHROPIC.config(server), "claude-3-5-haiku-latest", Wire.FAST)) {
            ChatModel model = llm;
            List<String> pieces = new ArrayList<>();
            ChatResult r = model.stream(new ChatRequest(List.of(ChatMessage.user("stream this")),
                    CompletionOptions.defaults()), pieces::add);
            assertThat(String.join("", pieces)).isEqualTo(r.content()).isEqualTo(FakeContent.answer("stream this"));
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(llm.stats().successes()).isEqualTo(1);
        }
    }

    @Test
    void embedBatchThroughTheModelInterfaceIsRetriedAndKeptWithinTheModelsLimits() {
        server.faults(FaultPlan.sequence(Fault.none(), Fault.status(502)));
        EmbeddingModel inner = new OpenAiEmbeddingModel(Wire.OPENAI.config(server), "text-embedding-3-small", 0, 3, 10_000);
        try (EmbeddingClient emb = EmbeddingClient.builder(inner).resilience(Wire.FAST).build()) {
            EmbeddingModel model = emb;
            List<float[]> v = model.embedBatch(List.of("a", "b", "c", "d", "e"));
            assertThat(v).hasSize(5);
            assertThat(v.get(4)).containsExactly(FakeContent.embedding("e", 32));
            assertThat(server.requestCount()).as("2 batches of at most 3, one retried").isEqualTo(3);
            assertThat(emb.stats().retries()).isEqualTo(1);
        }
    }

    @Test
    void ragAndIngestTakeTheClientsAsTheyTakeAnyModel() {
        try (EmbeddingClient emb = Wire.embeddings(Wire.OPENAI.config(server), "text-embedding-3-small", Wire.FAST);
             LlmClient llm = Wire.llm(Wire.OPENAI.config(server), "gpt-4o-mini", Wire.FAST);
             ParallelRuntime runtime = ParallelRuntime.create()) {
            InMemoryVectorStore store = new InMemoryVectorStore();
            IngestSummary summary = new IngestPipeline(IngestConfig.builder(Splitters.recursive(800, 100)).build(), emb,
                    store, runtime).run(List.of(Path.of("../examples/sample")), e -> { });
            assertThat(summary.allSucceeded()).isTrue();
            assertThat(emb.stats().successes()).isPositive();

            Answer answer = Rag.builder(emb, store).chatModel(llm).build().ask("What did Lincoln say about slavery?");
            assertThat(answer.mode()).isEqualTo(Answer.Mode.GENERATED);
            assertThat(answer.text()).isNotBlank();
            assertThat(answer.citations()).isNotEmpty();
            assertThat(answer.usage().totalTokens()).isEqualTo(llm.stats().tokensIn() + llm.stats().tokensOut());
            assertThat(llm.stats().successes()).isEqualTo(1);
            String sent = server.requests().getLast().body();
            assertThat(sent).contains("\"role\":\"system\"").contains("Question: What did Lincoln say about slavery?");
        }
    }
}
