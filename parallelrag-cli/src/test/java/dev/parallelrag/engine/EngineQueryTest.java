package dev.parallelrag.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.StoppedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Citation;
import dev.parallelrag.pipeline.Rag;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's query API over a Lucene index and the testkit: a query's filter, k and mode reach search and ask in
 * every mode, a streamed ask over a real OpenAI-format stream, its cancelling, and {@link ParallelRag#embed}.
 */
@Timeout(120)
class EngineQueryTest {

    @TempDir
    static Path work;

    private static FakeProviderServer server;
    private static UnaryOperator<String> env;
    private static Path index;

    @BeforeAll
    static void ingest() throws Exception {
        server = FakeProviderServer.builder().dimension(48).start();
        env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key")::get;
        Path docs = Files.createDirectories(work.resolve("docs"));
        Files.writeString(docs.resolve("tariffs.txt"), "Tariffs protect the union and its industry. ".repeat(40));
        Files.writeString(docs.resolve("slavery.txt"), "The slave trade divides the union, said the president. ".repeat(40));
        index = work.resolve("index");
        try (ParallelRag rag = ParallelRag.builder(index).embedder("openai", "text-embedding-3-small").environment(env)
                .build()) {
            rag.ingest(List.of(docs));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ParallelRag open(LlmClient llm) {
        return ParallelRag.builder(index).environment(env).chatModel(llm).build();
    }

    @Test
    void theFilterReachesSearchInEveryModeAndAsk() {
        String slavery = work.resolve("docs").resolve("slavery.txt").toString();
        MetadataFilter only = MetadataFilter.eq(MetadataFilter.SOURCE, slavery);
        try (ParallelRag rag = open(null)) {
            for (SearchMode mode : SearchMode.values()) {
                assertThat(rag.search(rag.query("the union").k(20).mode(mode).build())).extracting(SearchHit::source)
                        .as(mode.wireName()).anyMatch(s -> !s.equals(slavery));
                assertThat(rag.search(rag.query("the union").k(20).mode(mode).filter(only).build()))
                        .as(mode.wireName()).isNotEmpty().extracting(SearchHit::source).containsOnly(slavery);
            }
            Answer answer = rag.ask(rag.query("the union").filter(only).build());
            assertThat(answer.citations()).isNotEmpty().extracting(Citation::source).containsOnly(slavery);
            assertThat(rag.search(rag.query("the union").k(3).build())).hasSize(3);
        }
    }

    @Test
    void aStreamedAskDeliversTheModelsTokensAndItsUsage() {
        ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(server.openAiBaseUrl()).apiKey("k").build();
        try (LlmClient llm = Providers.llmClient(config, "gpt-4o-mini"); ParallelRag rag = open(llm)) {
            assertThat(rag.chatModel()).containsSame(llm);
            List<String> deltas = new CopyOnWriteArrayList<>();
            Answer answer = rag.askStreaming(rag.query("the slave trade").k(2).build(), deltas::add, StopSignal.never());
            assertThat(deltas).hasSizeGreaterThan(10);
            assertThat(String.join("", deltas)).isEqualTo(answer.text()).startsWith("echo: Sources:");
            assertThat(answer.citations()).hasSize(2);
            assertThat(answer.usage().completionTokens()).isEqualTo(FakeContent.tokenCount(answer.text()));
            assertThat(answer.usage().promptTokens()).isPositive();
        }
    }

    @Test
    void stoppingAStreamedAskClosesTheProvidersStream() throws Exception {
        try (FakeProviderServer slow = FakeProviderServer.builder().dimension(48).streamChunkDelay(Duration.ofMillis(100))
                .start()) {
            ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(slow.openAiBaseUrl()).apiKey("k")
                    .build();
            try (LlmClient llm = Providers.llmClient(config, "gpt-4o-mini"); ParallelRag rag = open(llm)) {
                StopSignal stop = StopSignal.withGrace(Duration.ZERO);
                List<String> deltas = new CopyOnWriteArrayList<>();
                // the whole answer echoes a prompt of hundreds of tokens: a minute at 100 ms per token
                assertThatThrownBy(() -> rag.askStreaming(rag.query("the slave trade").build(), d -> {
                    deltas.add(d);
                    if (deltas.size() == 3) {
                        Thread.ofVirtual().start(stop::stop); // the caller's client went away, seen from another thread
                    }
                }, stop)).isInstanceOf(StoppedException.class);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (slow.inFlight() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(slow.inFlight()).as("the fake provider is still streaming").isZero();
                assertThat(deltas.size()).isLessThan(20);
                assertThat(llm.executor().window().counts().failures()).isZero();
            }
        }
    }

    @Test
    void embedServesTheIndexEmbedderInInputOrderWithUsage() {
        try (ParallelRag rag = open(null)) {
            Embeddings e = rag.embed(List.of("the union", "tariffs", "the union"));
            assertThat(e.vectors()).hasSize(3);
            assertThat(e.vectors().get(0)).hasSize(48).isEqualTo(e.vectors().get(2));
            assertThat(e.vectors().get(0)).isNotEqualTo(e.vectors().get(1));
            assertThat(e.vectors().get(1)).isEqualTo(FakeContent.embedding("tariffs", 48));
            assertThat(e.model()).isEqualTo("openai/text-embedding-3-small");
            assertThat(e.usage().promptTokens()).isEqualTo(2L * Rag.TOKENIZER.length("the union")
                    + Rag.TOKENIZER.length("tariffs")).isPositive();
            assertThatThrownBy(() -> rag.embed(List.of("ok", ""))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("input[1]");
            assertThatThrownBy(() -> rag.embed(List.of())).isInstanceOf(ValidationException.class);
        }
    }
}
