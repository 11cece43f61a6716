package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbedOptions;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.health.ClientHealthPolicy;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Must show 8: a client's health against the testkit follows the provider, not its lifetime. It goes DOWN
 * during an outage and UP again within one window of the recovery; a caller's own 400s and the halving probes
 * that isolate one bad text leave it UP; below the minimum sample only an open breaker makes it DOWN. Time is a
 * {@link MutableClock} shared by the breaker and the window, so the test moves it instead of sleeping.
 */
class ClientHealthTest {

    private final MutableClock clock = new MutableClock();
    private final FakeProviderServer server = FakeProviderServer.builder().dimension(8).start();

    @AfterEach
    void stop() {
        server.close();
    }

    /** One attempt per request and no waiting on the breaker, on the test's clock. */
    private ResilienceConfig oneAttempt() {
        return Wire.FAST.toBuilder().maxAttempts(1).outageWait(Duration.ZERO).clock(clock).build();
    }

    private LlmClient llm(ResilienceConfig rc, ClientHealthPolicy policy) {
        return LlmClient.builder(Providers.chatModel(Wire.OPENAI.config(server), "gpt-4o-mini")).resilience(rc)
                .healthPolicy(policy).build();
    }

    private static void complete(LlmClient llm, int times, String prompt) {
        for (int i = 0; i < times; i++) {
            try {
                llm.complete(prompt + " " + i);
            } catch (ProviderException expected) {
                // the outage's failures are what health is judged on
            }
        }
    }

    @Test
    void aClientGoesDownDuringAnOutageAndBackUpWithinOneWindowOfTheRecovery() {
        // a breaker that never opens, so the verdict is the window's alone
        ResilienceConfig rc = oneAttempt().toBuilder().breakerFailureThreshold(1000).build();
        ClientHealthPolicy fiveSeconds = ClientHealthPolicy.builder().window(Duration.ofSeconds(5)).build();
        try (LlmClient llm = llm(rc, fiveSeconds)) {
            complete(llm, 20, "before");
            assertThat(llm.health().status()).isEqualTo(HealthStatus.UP);

            clock.advance(Duration.ofSeconds(1));
            server.faults(FaultPlan.rate(1.0, 1, Fault.status(503)));
            complete(llm, 30, "outage");
            Health outage = llm.health();
            assertThat(outage.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(outage.reason()).isEqualTo("success rate 40.0% is below 90% (30 of 50 requests failed in the last 5 s)");

            clock.advance(Duration.ofSeconds(1));
            server.faults(FaultPlan.none());
            complete(llm, 30, "recovered");
            assertThat(llm.health().status()).as("the outage is still inside the window").isEqualTo(HealthStatus.DOWN);

            clock.advance(Duration.ofSeconds(4)); // 5 s after the last failure, 4 s after the recovery
            Health after = llm.health();
            assertThat(after.status()).isEqualTo(HealthStatus.UP);
            assertThat(after.reason()).isEqualTo("success rate 100.0% over 30 requests in the last 5 s");
            assertThat(llm.stats().failures()).as("lifetime stats keep the outage").isEqualTo(30);
            assertThat(llm.stats().totalRequests()).isEqualTo(80);
        }
    }

    @Test
    void withTheDefaultBreakerTheOutageIsDownWhileItIsOpenAndUpOnceItClosedAndTheWindowPassed() {
        try (LlmClient llm = llm(oneAttempt(), ClientHealthPolicy.DEFAULT)) {
            server.faults(FaultPlan.rate(1.0, 1, Fault.status(503)));
            complete(llm, 5, "outage"); // five failures in a row open the breaker
            assertThat(llm.health().status()).isEqualTo(HealthStatus.DOWN);
            assertThat(llm.health().reason()).contains("circuit breaker is open");

            server.faults(FaultPlan.none());
            clock.advance(Duration.ofSeconds(61)); // the breaker's open window ends; three probes close it
            complete(llm, 3, "probe");
            assertThat(llm.stats().breaker().state()).isEqualTo("CLOSED");
            clock.advance(Duration.ofMinutes(5));
            complete(llm, 25, "after");
            assertThat(llm.health().status()).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void aSingle400AmongSuccessesLeavesItUpWhileA503InItsPlaceDoesNot() {
        // a minimum sample of one, so only the exclusion of the caller's error keeps the verdict UP
        ClientHealthPolicy judgeAtOnce = ClientHealthPolicy.builder().minimumRequests(1).build();
        List<HealthStatus> verdicts = new ArrayList<>();
        for (Fault fault : List.of(Fault.status(400), Fault.status(503))) {
            server.faults(FaultPlan.onMarker("BAD", fault));
            try (LlmClient llm = llm(oneAttempt(), judgeAtOnce)) {
                complete(llm, 8, "fine");
                assertThatThrownBy(() -> llm.complete("BAD request")).isInstanceOf(ProviderException.class);
                Health h = llm.health();
                verdicts.add(h.status());
                if (fault.status() == 400) {
                    assertThat(h.details()).containsEntry("caller_errors", 1L).containsEntry("failures", 0L)
                            .containsEntry("success_rate", 1.0);
                    assertThat(llm.stats().failures()).as("lifetime stats still count it").isEqualTo(1);
                }
            }
        }
        assertThat(verdicts).as("8 of 9 is 88.9 %%, below the 90 %% of DOWN, when the failure counts")
                .containsExactly(HealthStatus.UP, HealthStatus.DOWN);
    }

    @Test
    void theHalvingProbesThatIsolateOneBadTextLeaveItUp() {
        server.faults(FaultPlan.onMarker("BAD", Fault.status(400)).onlyPaths("/v1/embeddings"));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            texts.add(i == 11 ? "BAD text" : "good text " + i);
        }
        try (EmbeddingClient client = EmbeddingClient.builder(Providers.embeddingModel(Wire.OPENAI.config(server),
                "text-embedding-3-small")).resilience(oneAttempt()).healthPolicy(ClientHealthPolicy.builder().minimumRequests(1)
                .build()).build()) {
            List<Outcome<float[]>> out = client.embedBatchParallel(texts, EmbedOptions.concurrency(1).withBatchSize(16));

            assertThat(out).filteredOn(o -> !o.isSuccess()).hasSize(1);
            assertThat(out.get(11).isSuccess()).isFalse();
            // the batch of 16, then halves down to the bad text: 8+8, 4+4, 2+2, 1+1
            assertThat(server.requestCount("/embeddings")).isEqualTo(9);
            assertThat(client.stats().failures()).as("lifetime stats count every failed request").isEqualTo(5);
            Health h = client.health();
            assertThat(h.status()).isEqualTo(HealthStatus.UP);
            assertThat(h.details()).as("the batch's own 400 is a caller error; the failed probes are not counted at all")
                    .containsEntry("caller_errors", 1L).containsEntry("failures", 0L).containsEntry("successes", 4L);
        }
    }

    @Test
    void threeFailuresOfFiveAreBelowTheMinimumSampleUnlessTheBreakerOpens() {
        List<Health> verdicts = new ArrayList<>();
        for (int threshold : new int[] {5, 3}) {
            server.faults(FaultPlan.sequence(Fault.none(), Fault.none(), Fault.status(503), Fault.status(503), Fault.status(503)));
            try (LlmClient llm = llm(oneAttempt().toBuilder().breakerFailureThreshold(threshold).build(), ClientHealthPolicy.DEFAULT)) {
                complete(llm, 5, "sample");
                assertThat(llm.stats().failures()).isEqualTo(3);
                verdicts.add(llm.health());
            }
            server.reset();
        }
        assertThat(verdicts.get(0).status()).isEqualTo(HealthStatus.UP);
        assertThat(verdicts.get(0).reason()).isEqualTo("too few requests in the last 5 min to judge (5 of 20)");
        assertThat(verdicts.get(1).status()).as("three failures in a row open a breaker of threshold 3").isEqualTo(HealthStatus.DOWN);
        assertThat(verdicts.get(1).reason()).contains("circuit breaker is open");
    }
}
