package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.error.AuthenticationException;
import dev.parallelrag.error.CircuitOpenException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.testkit.MutableClock;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every provider against the loopback fake server: normal calls, streaming, usage, every fault kind, the breaker. */
class ProviderContractTest {

    private static final int DIM = 64;
    private FakeProviderServer server;

    @BeforeEach
    void start() {
        server = FakeProviderServer.builder().dimension(DIM).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private LlmClient llm(Wire wire) {
        return Wire.llm(wire.config(server), wire.chatModel, Wire.FAST);
    }

    private LlmClient llm(Wire wire, ResilienceConfig rc) {
        return Wire.llm(wire.config(server), wire.chatModel, rc);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void normalCallReturnsContentModelIdFinishReasonAndUsage(Wire wire) {
        try (LlmClient llm = llm(wire)) {
            Completion c = llm.completeFull(List.of(ChatMessage.system("Be brief."), ChatMessage.user("hello there"),
                    ChatMessage.assistant("hi"), ChatMessage.user("what is parallel RAG?")), CompletionOptions.builder()
                    .maxTokens(200).temperature(0.2).build());
            assertThat(c.content()).isEqualTo(FakeContent.answer("what is parallel RAG?"));
            assertThat(c.model()).isNotBlank();
            assertThat(c.finishReason()).isNotBlank();
            assertThat(c.usage().promptTokens()).isPositive();
            assertThat(c.usage().completionTokens()).isEqualTo(FakeContent.tokenCount(c.content()));
            assertThat(c.usage().totalTokens()).isEqualTo(c.usage().promptTokens() + c.usage().completionTokens());
            assertThat(c.attempts()).isEqualTo(1);
            assertThat(server.requests().get(0).hasCredentials()).isTrue();
            assertThat(llm.stats().tokensOut()).isEqualTo(c.usage().completionTokens());
            assertThat(llm.complete("ping")).isEqualTo(FakeContent.answer("ping"));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void streamingDeliversPiecesThatAddUpToTheAnswer(Wire wire) {
        try (LlmClient llm = llm(wire)) {
            List<String> pieces = new ArrayList<>();
            Completion c = llm.stream("stream me a few words please", CompletionOptions.defaults(), pieces::add);
            assertThat(pieces).hasSizeGreaterThan(1);
            assertThat(String.join("", pieces)).isEqualTo(c.content())
                    .isEqualTo(FakeContent.answer("stream me a few words please"));
            assertThat(c.finishReason()).isNotBlank();
            assertThat(c.usage().completionTokens()).isEqualTo(FakeContent.tokenCount(c.content()));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void embeddingsMatchTheServersVectorsInOrderAndLearnTheDimension(Wire wire) {
        assumeThat(wire.embeds()).isTrue();
        try (EmbeddingClient emb = Wire.embeddings(wire.config(server), wire.embeddingModel, Wire.FAST)) {
            assertThat(emb.dimension()).isZero();
            List<String> texts = List.of("alpha", "beta gamma", "delta epsilon zeta");
            List<float[]> v = emb.embedMany(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(v.get(i)).containsExactly(FakeContent.embedding(texts.get(i), DIM));
            }
            assertThat(emb.embed("single")).containsExactly(FakeContent.embedding("single", DIM));
            assertThat(emb.dimension()).isEqualTo(DIM);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void transientFaultsAreRetriedUntilSuccess(Wire wire) {
        server.faults(FaultPlan.sequence(Fault.status(500), Fault.status(503), Fault.connectionReset()));
        try (LlmClient llm = llm(wire)) {
            Completion c = llm.completeFull("retry me", CompletionOptions.defaults());
            assertThat(c.content()).isEqualTo(FakeContent.answer("retry me"));
            assertThat(c.attempts()).isEqualTo(4);
            assertThat(llm.stats().retries()).isEqualTo(3);
        }
        server.reset();
        server.faults(FaultPlan.sequence(Fault.status(529), Fault.status(502), Fault.status(504)));
        try (LlmClient llm = llm(wire)) {
            assertThat(llm.completeFull("again", CompletionOptions.defaults()).attempts()).isEqualTo(4);
        }
        server.reset();
        server.faults(FaultPlan.sequence(Fault.status(408), Fault.truncatedStream()));
        try (LlmClient llm = llm(wire)) {
            assertThat(llm.completeFull("cut body", CompletionOptions.defaults()).content())
                    .isEqualTo(FakeContent.answer("cut body"));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void retriesRunOutIntoTheTypedErrorAfterFourAttempts(Wire wire) {
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(503)));
        try (LlmClient llm = llm(wire)) {
            assertThatThrownBy(() -> llm.complete("x")).isInstanceOf(ProviderException.class)
                    .satisfies(e -> assertThat(((ProviderException) e).status()).isEqualTo(503));
        }
        assertThat(server.requestCount()).isEqualTo(4);
        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(429)));
        try (LlmClient llm = llm(wire)) {
            assertThatThrownBy(() -> llm.complete("x")).isInstanceOf(RateLimitedException.class);
            assertThat(llm.stats().failuresByKind()).containsEntry("rate_limited", 1L);
            assertThat(llm.executor().concurrencyLimiter().limit()).isLessThan(ResilienceConfig.DEFAULT_MAX_CONCURRENCY);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void retryAfterIsHonoured(Wire wire) {
        server.faults(FaultPlan.sequence(Fault.status(429).retryAfterSeconds(1)));
        try (LlmClient llm = llm(wire)) {
            long t0 = System.nanoTime();
            Completion c = llm.completeFull("wait for it", CompletionOptions.defaults());
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(c.attempts()).isEqualTo(2);
            assertThat(waitedMs).isGreaterThanOrEqualTo(1000);
            List<java.time.Instant> at = server.requests().stream().map(r -> r.received()).toList();
            assertThat(Duration.between(at.get(0), at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = "OPENAI")
    void retryAfterDatesAndOpenAiResetHeadersAreHonoured(Wire wire) {
        server.faults(FaultPlan.sequence(Fault.status(429).rateLimitReset(Duration.ofMillis(700)),
                Fault.status(503).retryAfterSeconds(1)));
        try (LlmClient llm = llm(wire)) {
            long t0 = System.nanoTime();
            assertThat(llm.completeFull("reset", CompletionOptions.defaults()).attempts()).isEqualTo(3);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1700);
        }
        server.reset();
        server.faults(FaultPlan.sequence(Fault.status(429).retryAfterDate(Duration.ofSeconds(2))));
        try (LlmClient llm = llm(wire)) {
            long t0 = System.nanoTime();
            assertThat(llm.completeFull("date", CompletionOptions.defaults()).attempts()).isEqualTo(2);
            // HTTP dates have 1 s resolution: a date 2 s ahead is at least 1 s away when it arrives
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void requestErrorsMakeExactlyOneAttempt(Wire wire) {
        for (int status : new int[] {400, 401, 404}) {
            server.reset();
            server.faults(FaultPlan.sequence(Fault.status(status)));
            try (LlmClient llm = llm(wire)) {
                Class<? extends Exception> type = status == 401 ? AuthenticationException.class : ProviderException.class;
                assertThatThrownBy(() -> llm.complete("bad")).isInstanceOf(type);
                assertThat(server.requestCount()).as("HTTP %d", status).isEqualTo(1);
                assertThat(llm.stats().retries()).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aWrongKeyIsAnAuthenticationErrorNamingTheVariable(Wire wire) {
        assumeThat(wire.kind.apiKeyEnv()).isNotNull();
        try (FakeProviderServer strict = FakeProviderServer.builder().apiKey("the-right-key").start();
             LlmClient llm = Wire.llm(wire.config(strict, "a-wrong-key"), wire.chatModel, Wire.FAST)) {
            assertThatThrownBy(() -> llm.complete("hi")).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining(wire.kind.apiKeyEnv()).hasMessageNotContaining("a-wrong-key");
            assertThat(strict.requestCount()).isEqualTo(1);
            assertThat(llm.stats().failuresByKind()).containsEntry("auth", 1L);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void malformedResponsesAreTypedErrorsWithoutRetry(Wire wire) {
        server.faults(FaultPlan.sequence(Fault.malformedJson()));
        try (LlmClient llm = llm(wire)) {
            assertThatThrownBy(() -> llm.complete("garbled")).isInstanceOf(ProviderException.class)
                    .satisfies(e -> assertThat(((ProviderException) e).retryable()).isFalse());
        }
        assertThat(server.requestCount()).isEqualTo(1);
        server.reset();
        server.faults(FaultPlan.sequence(Fault.wrongItemCount()));
        try (LlmClient llm = llm(wire)) {
            assertThatThrownBy(() -> llm.complete("no choices")).isInstanceOf(ProviderException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void wrongItemCountInEmbeddingsIsATypedErrorNotAShiftedResult(Wire wire) {
        assumeThat(wire.embeds()).isTrue();
        server.faults(FaultPlan.sequence(Fault.wrongItemCount()));
        try (EmbeddingClient emb = Wire.embeddings(wire.config(server), wire.embeddingModel, Wire.FAST)) {
            assertThatThrownBy(() -> emb.embedMany(List.of("one", "two", "three"))).isInstanceOf(ProviderException.class)
                    .hasMessageContaining("3");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aStallPastTheAttemptTimeoutIsRetriedThenATimeoutError(Wire wire) {
        ResilienceConfig shortTimeout = Wire.FAST.toBuilder().attemptTimeout(Duration.ofMillis(300)).build();
        server.faults(FaultPlan.sequence(Fault.stall()));
        try (LlmClient llm = llm(wire, shortTimeout)) {
            assertThat(llm.completeFull("slow", CompletionOptions.defaults()).attempts()).isEqualTo(2);
        }
        server.reset();
        server.faults(FaultPlan.rate(1.0, 1, Fault.stall()));
        try (LlmClient llm = llm(wire, shortTimeout.toBuilder().maxAttempts(2).build())) {
            assertThatThrownBy(() -> llm.complete("slow")).isInstanceOf(ProviderTimeoutException.class)
                    .hasMessageContaining("300 ms");
            assertThat(llm.stats().failuresByKind()).containsEntry("timeout", 1L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"OPENAI", "ANTHROPIC", "OLLAMA", "GEMINI"})
    void aStreamCutAfterTextArrivedIsNotRetried(Wire wire) {
        server.faults(FaultPlan.sequence(Fault.truncatedStream()));
        try (LlmClient llm = llm(wire)) {
            List<String> pieces = new ArrayList<>();
            assertThatThrownBy(() -> llm.stream("a rather long prompt so the answer has many pieces to cut",
                    CompletionOptions.defaults(), pieces::add)).isInstanceOf(ProviderException.class);
            assertThat(server.requestCount()).isEqualTo(pieces.isEmpty() ? 4 : 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void breakerOpensAfterExactlyFiveFailedRequestsFailsFastProbesAndCloses(Wire wire) {
        MutableClock clock = new MutableClock();
        ResilienceConfig rc = Wire.FAST.toBuilder().maxAttempts(2).breakerHalfOpenProbes(2).outageWait(Duration.ZERO).clock(clock).build();
        server.faults(FaultPlan.rate(1.0, 1, Fault.status(503)));
        try (LlmClient llm = llm(wire, rc)) {
            for (int i = 1; i <= 5; i++) {
                assertThatThrownBy(() -> llm.complete("down")).isInstanceOf(ProviderException.class);
                assertThat(llm.stats().breaker().state()).as("after %d failed requests", i)
                        .isEqualTo(i < 5 ? "CLOSED" : "OPEN");
            }
            assertThat(server.requestCount()).as("5 requests x 2 attempts").isEqualTo(10);

            assertThatThrownBy(() -> llm.complete("down")).isInstanceOf(CircuitOpenException.class);
            assertThat(server.requestCount()).as("fails fast: no request sent").isEqualTo(10);
            assertThat(llm.health().status().name()).isEqualTo("DOWN");

            clock.advance(Duration.ofSeconds(59));
            assertThatThrownBy(() -> llm.complete("down")).isInstanceOf(CircuitOpenException.class);
            clock.advance(Duration.ofSeconds(2));
            server.faults(FaultPlan.none());
            assertThat(llm.complete("probe one")).isEqualTo(FakeContent.answer("probe one"));
            assertThat(llm.stats().breaker().state()).isEqualTo("HALF_OPEN");
            assertThat(llm.complete("probe two")).isEqualTo(FakeContent.answer("probe two"));
            assertThat(llm.stats().breaker().state()).isEqualTo("CLOSED");
            assertThat(llm.stats().failuresByKind()).containsEntry("circuit_open", 2L).containsEntry("server", 5L);
            assertThat(llm.stats().breaker().transitions()).isEqualTo(3);
        }
    }
}
