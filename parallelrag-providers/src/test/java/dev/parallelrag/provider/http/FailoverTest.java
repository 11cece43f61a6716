package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.resilience.RetryPolicy;
import dev.parallelrag.stats.FailoverCount;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failover of {@code LlmClient} and {@code EmbeddingClient} between two loopback testkit servers, a primary and a
 * fallback: what moves a request on and what does not, how long a failed candidate is passed over, what a request
 * does when every candidate cools down, streams, names, and embedding spaces. The 30 s outage of must show 9 is
 * {@link FailoverOutageTest}.
 */
@Timeout(60)
class FailoverTest {

    private static final String PRIMARY = "openai:gpt-4o";
    private static final String FALLBACK = "openai:gpt-4o-mini";
    /** Longer than any test: a candidate that failed stays passed over unless something else ends its cooldown. */
    private static final Duration FOREVER = Duration.ofMinutes(10);

    private FakeProviderServer primaryServer;
    private FakeProviderServer fallbackServer;

    @BeforeEach
    void start() {
        primaryServer = FakeProviderServer.builder().start();
        fallbackServer = FakeProviderServer.builder().start();
    }

    @AfterEach
    void stop() {
        primaryServer.close();
        fallbackServer.close();
    }

    private LlmClient fallback(ResilienceConfig rc) {
        return Wire.llm(Wire.OPENAI.config(fallbackServer), "gpt-4o-mini", rc);
    }

    private LlmClient primary(ResilienceConfig rc, LlmClient fallback) {
        return LlmClient.builder(Providers.chatModel(Wire.OPENAI.config(primaryServer), "gpt-4o")).resilience(rc)
                .fallback(fallback).build();
    }

    private static ResilienceConfig cooldown(Duration cooldown) {
        return Wire.FAST.toBuilder().failoverCooldown(cooldown).build();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 401, 403, 404})
    void callerErrorsFailAtOnceWithoutFailingOver(int status) {
        primaryServer.faults(FaultPlan.sequence(Fault.status(status)));
        try (LlmClient fb = fallback(Wire.FAST); LlmClient llm = primary(Wire.FAST, fb)) {
            assertThatThrownBy(() -> llm.complete("a question"))
                    .isInstanceOf(ParallelRagException.class)
                    .satisfies(e -> assertThat(RetryPolicy.isRetryable(e)).isFalse());
            assertThat(primaryServer.requestCount()).as("asked once, not retried").isEqualTo(1);
            assertThat(fallbackServer.requestCount()).as("a caller error is not failed over").isZero();

            Completion next = llm.completeFull("next question", CompletionOptions.defaults());
            assertThat(next.servedBy()).as("the primary answered, so it is not cooling down").isEqualTo(PRIMARY);
            assertThat(llm.stats().failovers()).isEmpty();
        }
    }

    @Test
    void withFallbacksAFailingPrimaryGetsOneAttemptNotItsRetriesBeforeTheFallbackServes() {
        primaryServer.faults(FaultPlan.rate(1.0, 1, Fault.status(503)));
        ResilienceConfig rc = Wire.FAST.toBuilder().maxAttempts(4).build();
        try (LlmClient fb = fallback(rc); LlmClient llm = primary(rc, fb)) {
            Completion c = llm.completeFull("a question", CompletionOptions.defaults());

            assertThat(c.content()).isEqualTo(FakeContent.answer("a question"));
            assertThat(c.servedBy()).isEqualTo(FALLBACK);
            assertThat(c.attempts()).as("one at the primary, one at the fallback").isEqualTo(2);
            assertThat(primaryServer.requestCount()).as("maxAttempts 4, but failover is the retry").isEqualTo(1);
            assertThat(llm.stats().failovers()).containsExactly(new FailoverCount(PRIMARY, FALLBACK, 1));
            assertThat(llm.stats().failuresByKind()).containsEntry("server", 1L);
            assertThat(fb.stats().successes()).isEqualTo(1);
        }
    }

    @Test
    void failoverCooldownIsHowLongAFailedCandidateIsPassedOverThenOneProbeBringsTrafficBack() throws Exception {
        primaryServer.faults(FaultPlan.sequence(Fault.status(503)));
        ResilienceConfig rc = cooldown(Duration.ofMillis(600));
        try (LlmClient fb = fallback(rc); LlmClient llm = primary(rc, fb)) {
            assertThat(llm.completeFull("one", CompletionOptions.defaults()).servedBy()).isEqualTo(FALLBACK);
            assertThat(llm.completeFull("two", CompletionOptions.defaults()).servedBy()).as("within the cooldown")
                    .isEqualTo(FALLBACK);
            assertThat(primaryServer.requestCount()).as("passed over while cooling down").isEqualTo(1);

            Thread.sleep(800);
            assertThat(llm.completeFull("three", CompletionOptions.defaults()).servedBy()).as("the probe after it")
                    .isEqualTo(PRIMARY);
            assertThat(llm.completeFull("four", CompletionOptions.defaults()).servedBy()).isEqualTo(PRIMARY);
            assertThat(fallbackServer.requestCount()).isEqualTo(2);
        }
        // the same failure with a cooldown longer than the test: the primary stays passed over
        primaryServer.reset();
        fallbackServer.reset();
        try (LlmClient fb = fallback(cooldown(FOREVER)); LlmClient llm = primary(cooldown(FOREVER), fb)) {
            assertThat(llm.completeFull("one", CompletionOptions.defaults()).servedBy()).isEqualTo(FALLBACK);
            Thread.sleep(800);
            assertThat(llm.completeFull("three", CompletionOptions.defaults()).servedBy()).isEqualTo(FALLBACK);
            assertThat(primaryServer.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void retryAfterSetsTheCooldown() throws Exception {
        primaryServer.faults(FaultPlan.sequence(Fault.status(503).retryAfterSeconds(1)));
        try (LlmClient fb = fallback(cooldown(FOREVER)); LlmClient llm = primary(cooldown(FOREVER), fb)) {
            assertThat(llm.completeFull("one", CompletionOptions.defaults()).servedBy()).isEqualTo(FALLBACK);
            assertThat(llm.completeFull("two", CompletionOptions.defaults()).servedBy()).as("within the asked second")
                    .isEqualTo(FALLBACK);

            Thread.sleep(1300);
            assertThat(llm.completeFull("three", CompletionOptions.defaults()).servedBy())
                    .as("Retry-After: 1 ended a cooldown that failoverCooldown would have made 10 minutes")
                    .isEqualTo(PRIMARY);
            assertThat(primaryServer.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void whenEveryCandidateCoolsDownARequestWaitsForTheEarliestWithinOutageWaitAndSucceeds() {
        primaryServer.faults(FaultPlan.sequence(Fault.status(503)));
        fallbackServer.faults(FaultPlan.sequence(Fault.status(503).retryAfterSeconds(1)));
        ResilienceConfig rc = cooldown(FOREVER).toBuilder().outageWait(Duration.ofSeconds(20)).build();
        try (LlmClient fb = fallback(rc); LlmClient llm = primary(rc, fb)) {
            Completion c = llm.completeFull("everyone is down", CompletionOptions.defaults());

            assertThat(c.content()).isEqualTo(FakeContent.answer("everyone is down"));
            assertThat(c.servedBy()).as("the fallback came out of its 1 s cooldown first").isEqualTo(FALLBACK);
            assertThat(c.latency()).as("it waited for that cooldown").isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(c.attempts()).isEqualTo(3);
            assertThat(primaryServer.requestCount()).isEqualTo(1);
            assertThat(fallbackServer.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void outageWaitBoundsTheWaitForACoolingCandidate() {
        for (Duration wait : List.of(Duration.ZERO, Duration.ofMillis(300))) {
            primaryServer.reset();
            fallbackServer.reset();
            primaryServer.faults(FaultPlan.sequence(Fault.status(503)));
            fallbackServer.faults(FaultPlan.sequence(Fault.status(503).retryAfterSeconds(2)));
            ResilienceConfig rc = cooldown(FOREVER).toBuilder().outageWait(wait).build();
            try (LlmClient fb = fallback(rc); LlmClient llm = primary(rc, fb)) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> llm.complete("everyone is down")).as("outageWait %s", wait)
                        .isInstanceOf(ProviderException.class)
                        .satisfies(e -> assertThat(((ProviderException) e).status()).isEqualTo(503));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the 2 s cooldown ends past the deadline,"
                        + " so the request fails at once instead of waiting for it").isLessThan(Duration.ofMillis(1500));
                assertThat(fallbackServer.requestCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void aStreamFailsOverBeforeItsFirstPieceOfText() {
        primaryServer.faults(FaultPlan.sequence(Fault.status(503)));
        String prompt = "a prompt long enough that the answer streams in many small pieces";
        try (LlmClient fb = fallback(Wire.FAST); LlmClient llm = primary(Wire.FAST, fb)) {
            List<String> pieces = new ArrayList<>();
            Completion c = llm.stream(prompt, CompletionOptions.defaults(), pieces::add);

            assertThat(c.servedBy()).isEqualTo(FALLBACK);
            assertThat(String.join("", pieces)).as("every piece once, from the fallback").isEqualTo(c.content())
                    .isEqualTo(FakeContent.answer(prompt));
            assertThat(fallbackServer.requests()).singleElement()
                    .satisfies(r -> assertThat(r.body()).contains("\"stream\":true"));
        }
    }

    @Test
    void aStreamThatBreaksAfterItsFirstPieceFailsWithoutFailingOver() {
        primaryServer.faults(FaultPlan.sequence(Fault.stallMidStream(Duration.ofSeconds(5))));
        ResilienceConfig rc = Wire.FAST.toBuilder().streamIdleTimeout(Duration.ofMillis(300)).build();
        String prompt = "a prompt long enough that the answer streams in many small pieces";
        try (LlmClient fb = fallback(rc); LlmClient llm = primary(rc, fb)) {
            List<String> pieces = new ArrayList<>();
            assertThatThrownBy(() -> llm.stream(prompt, CompletionOptions.defaults(), pieces::add))
                    .isInstanceOf(ProviderTimeoutException.class)
                    .satisfies(e -> assertThat(RetryPolicy.isRetryable(e)).isFalse());

            assertThat(pieces).as("text reached the caller before the stall").isNotEmpty();
            assertThat(fallbackServer.requestCount()).as("text was delivered: failing over would repeat it").isZero();
            assertThat(llm.stats().failovers()).isEmpty();
        }
    }

    @Test
    void answersThroughTheChatModelInterfaceSayWhoServedThem() {
        primaryServer.faults(FaultPlan.sequence(Fault.status(429).retryAfterSeconds(5)));
        try (LlmClient fb = fallback(Wire.FAST); LlmClient llm = primary(Wire.FAST, fb)) {
            dev.parallelrag.llm.ChatModel model = llm;
            dev.parallelrag.llm.ChatResult r = model.chat(new dev.parallelrag.llm.ChatRequest(
                    List.of(dev.parallelrag.llm.ChatMessage.user("rate limited")), CompletionOptions.defaults()));
            assertThat(r.servedBy()).as("a 429 moves the request on").isEqualTo(FALLBACK);
            assertThat(llm.completeFull("again", CompletionOptions.defaults()).servedBy()).as("Retry-After: 5 holds")
                    .isEqualTo(FALLBACK);
        }
        try (LlmClient alone = Wire.llm(Wire.OPENAI.config(primaryServer), "gpt-4o", Wire.FAST)) {
            assertThat(alone.completeFull("no fallbacks", CompletionOptions.defaults()).servedBy()).isEqualTo(PRIMARY);
            assertThat(alone.candidates()).containsExactly(PRIMARY);
        }
    }

    @Test
    void twoCandidatesOfOneModelWithTwoKeysAreNamedByTheirPosition() {
        primaryServer.faults(FaultPlan.sequence(Fault.status(500)));
        ProviderConfig otherKey = ProviderConfig.builder(Wire.OPENAI.kind).environment(n -> null)
                .baseUrl(fallbackServer.openAiBaseUrl()).apiKey("second-key-456").build();
        try (LlmClient fb = Wire.llm(otherKey, "gpt-4o", Wire.FAST); LlmClient llm = primary(Wire.FAST, fb)) {
            assertThat(llm.candidates()).containsExactly("openai:gpt-4o#1", "openai:gpt-4o#2");
            assertThat(llm.completeFull("q", CompletionOptions.defaults()).servedBy()).isEqualTo("openai:gpt-4o#2");
            assertThat(fallbackServer.requests().getFirst().header("authorization")).hasValue("Bearer second-key-456");
        }
    }

    @Test
    void aFallbackWithFallbacksOfItsOwnOrGivenTwiceIsRefused() {
        try (LlmClient last = fallback(Wire.FAST);
             LlmClient middle = LlmClient.builder(Providers.chatModel(Wire.OPENAI.config(primaryServer), "gpt-4o-mini"))
                     .fallback(last).build()) {
            assertThatThrownBy(() -> LlmClient.builder(Providers.chatModel(Wire.OPENAI.config(primaryServer), "gpt-4o"))
                    .fallback(middle)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("fallback").hasMessageContaining("has fallbacks of its own");
            assertThatThrownBy(() -> LlmClient.builder(Providers.chatModel(Wire.OPENAI.config(primaryServer), "gpt-4o"))
                    .fallback(last).fallback(last)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("given twice");
        }
    }

    @Test
    void anEmbeddingClientFailsOverToTheSameModelAtAnotherEndpoint() {
        primaryServer.faults(FaultPlan.rate(1.0, 3, Fault.status(503)).onlyPaths("/embeddings"));
        ResilienceConfig rc = Wire.FAST;
        try (EmbeddingClient fb = Wire.embeddings(Wire.OPENAI.config(fallbackServer), "text-embedding-3-small", rc);
             EmbeddingClient emb = EmbeddingClient.builder(Providers.embeddingModel(Wire.OPENAI.config(primaryServer),
                     "text-embedding-3-small")).resilience(rc).fallback(fb).build()) {
            List<float[]> vectors = emb.embedMany(List.of("first text", "second text"));

            assertThat(vectors.get(0)).containsExactly(FakeContent.embedding("first text", 384));
            assertThat(vectors.get(1)).containsExactly(FakeContent.embedding("second text", 384));
            assertThat(primaryServer.requestCount()).isEqualTo(1);
            assertThat(fallbackServer.requestCount()).isEqualTo(1);
            assertThat(emb.stats().failovers()).containsExactly(new FailoverCount("openai:text-embedding-3-small#1",
                    "openai:text-embedding-3-small#2", 1));
        }
    }

    @Test
    void anEmbeddingFallbackOfAnotherSpaceIsRefusedNamingBothModelsAndWhy() {
        ProviderConfig primaryConfig = Wire.OPENAI.config(primaryServer);
        try (EmbeddingClient otherModel = Wire.embeddings(Wire.OPENAI.config(fallbackServer), "text-embedding-3-large",
                Wire.FAST);
             EmbeddingClient otherDimension = EmbeddingClient.create(new OpenAiEmbeddingModel(
                     Wire.OPENAI.config(fallbackServer), "text-embedding-3-small", 256, 2048, 300_000))) {
            assertThatThrownBy(() -> EmbeddingClient.builder(Providers.embeddingModel(primaryConfig,
                    "text-embedding-3-small")).fallback(otherModel).build())
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("openai/text-embedding-3-small").hasMessageContaining("openai/text-embedding-3-large")
                    .hasMessageContaining("another vector space").hasMessageContaining("ruin retrieval");
            assertThatThrownBy(() -> EmbeddingClient.builder(new OpenAiEmbeddingModel(primaryConfig,
                    "text-embedding-3-small", 1536, 2048, 300_000)).fallback(otherDimension).build())
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("dimension 1536 vs 256");
        }
        assertThat(primaryServer.requestCount() + fallbackServer.requestCount()).as("refused before any request").isZero();
    }
}
