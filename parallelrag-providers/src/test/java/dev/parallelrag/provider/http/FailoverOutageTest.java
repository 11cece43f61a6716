package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.stats.FailoverCount;
import dev.parallelrag.stats.StatsRecorder;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import dev.parallelrag.testkit.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, must show 9: 1,000 requests at concurrency 32 against a primary that answers 503 for 30 s and then
 * recovers, with a healthy fallback on a second loopback server. Every server answer takes {@link #LATENCY}, so
 * the 1,000 requests take about 45 s: they begin before the outage, span it, and go on well after the recovery.
 *
 * <p>What is checked, and how a request is placed in time: the servers record when each request arrived.
 * <ul>
 *   <li>at least 99.9 % succeed (all of them do here), each saying which candidate served it, and the answers
 *       counted per candidate are exactly the successful requests each server recorded: nothing served twice;</li>
 *   <li>the fallback is asked only around the outage: from its start to one cooldown (and one answer's latency)
 *       after it ends, and it serves nearly every request of the outage;</li>
 *   <li>probes: requests sent to the primary before its first 503 came back (one latency after the outage began)
 *       cannot know of the outage; after that, at most one request per cooldown window reaches the primary;</li>
 *   <li>traffic returns: the primary answers a request that arrived within one cooldown of its recovery, and the
 *       fallback is asked nothing once that answer is back;</li>
 *   <li>stats and the Micrometer counter count the failovers of the pair.</li>
 * </ul>
 */
@Timeout(180)
class FailoverOutageTest {

    private static final int REQUESTS = 1000;
    private static final int CONCURRENCY = 32;
    private static final Duration LATENCY = Duration.ofMillis(1400);
    private static final Duration COOLDOWN = Duration.ofMillis(2500);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration OUTAGE_STARTS_AFTER = Duration.ofSeconds(4);
    /** Room for thread scheduling on a loaded 2-core machine: a correctness margin, not a performance bound. */
    private static final Duration SLACK = Duration.ofMillis(1000);

    @Test
    void aThousandRequestsRideOutAThirtySecondPrimaryOutageThroughTheFallbackAndComeBack() {
        ResilienceConfig rc = Wire.FAST.toBuilder().failoverCooldown(COOLDOWN).outageWait(Duration.ofMinutes(2)).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FakeProviderServer primaryServer = FakeProviderServer.builder().latency(Latency.fixed(LATENCY)).start();
             FakeProviderServer fallbackServer = FakeProviderServer.builder().latency(Latency.fixed(LATENCY)).start();
             LlmClient fallback = Wire.llm(Wire.OPENAI.config(fallbackServer), "gpt-4o-mini", rc);
             LlmClient llm = LlmClient.builder(Providers.chatModel(Wire.OPENAI.config(primaryServer), "gpt-4o"))
                     .resilience(rc).meterRegistry(meters).fallback(fallback).build()) {
            // one request to each first, so that the outage is timed from a warm start (class loading, tokenizer)
            llm.complete("warm up");
            fallback.complete("warm up");
            primaryServer.reset();
            fallbackServer.reset();
            llm.resetStats();
            Instant outageStart = Instant.now().plus(OUTAGE_STARTS_AFTER);
            Instant outageEnd = outageStart.plus(OUTAGE);
            primaryServer.faults(FaultPlan.during(outageStart, outageEnd, Fault.status(503)));
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                prompts.add("question number " + i);
            }

            List<Outcome<Completion>> out = llm.completeBatch(prompts, CompletionOptions.builder().maxTokens(32)
                    .concurrency(CONCURRENCY).build());

            // at least 99.9 % succeed, each with the right answer and the name of the candidate that served it
            long failed = out.stream().filter(o -> o instanceof Outcome.Failure).count();
            assertThat(failed).as("failed requests of %d", REQUESTS).isLessThanOrEqualTo(REQUESTS / 1000);
            Map<String, Long> servedBy = new TreeMap<>();
            for (int i = 0; i < REQUESTS; i++) {
                if (out.get(i) instanceof Outcome.Success<Completion> s) {
                    assertThat(s.value().content()).isEqualTo(FakeContent.answer(prompts.get(i)));
                    servedBy.merge(s.value().servedBy(), 1L, Long::sum);
                }
            }
            assertThat(servedBy.keySet()).containsExactlyInAnyOrder("openai:gpt-4o", "openai:gpt-4o-mini");
            List<RecordedRequest> atPrimary = primaryServer.requests();
            List<RecordedRequest> atFallback = fallbackServer.requests();
            assertThat(servedBy.get("openai:gpt-4o")).as("answers that say the primary served them")
                    .isEqualTo(atPrimary.stream().filter(r -> r.outcome().equals("ok")).count());
            assertThat(servedBy.get("openai:gpt-4o-mini")).as("answers that say the fallback served them")
                    .isEqualTo(atFallback.stream().filter(r -> r.outcome().equals("ok")).count())
                    .isEqualTo((long) atFallback.size());

            // the run spans the outage and the recovery
            assertThat(atPrimary.getFirst().received()).isBefore(outageStart);
            assertThat(atPrimary.getLast().received()).isAfter(outageEnd.plus(COOLDOWN).plus(LATENCY));

            // while the primary is down, the fallback serves; it is asked nothing before the outage
            assertThat(atFallback.getFirst().received()).isAfterOrEqualTo(outageStart);
            long duringOutage = atFallback.stream().filter(r -> r.received().isBefore(outageEnd)).count();
            long expectedDuring = OUTAGE.toMillis() * CONCURRENCY / LATENCY.toMillis();
            assertThat(duringOutage).as("requests the fallback took during the outage, of about %d sent then",
                    expectedDuring).isGreaterThan(expectedDuring * 8 / 10);

            // at most one probe per cooldown window reaches the primary once its first 503 could have come back
            Instant firstFailureSeen = outageStart.plus(LATENCY).plus(SLACK);
            long probes = atPrimary.stream().filter(r -> !r.received().isBefore(firstFailureSeen)
                    && r.received().isBefore(outageEnd)).count();
            long windows = Duration.between(firstFailureSeen, outageEnd).toMillis() / COOLDOWN.toMillis() + 1;
            assertThat(probes).as("requests that reached the primary during the outage after its first 503").isPositive()
                    .isLessThanOrEqualTo(windows);
            assertThat(atPrimary.stream().filter(r -> r.outcome().equals("status 503")
                    && r.received().isBefore(firstFailureSeen)).count())
                    .as("requests already on their way when the outage began").isLessThanOrEqualTo(2L * CONCURRENCY);

            // traffic returns to the primary within one cooldown after it recovers
            Instant backAt = atPrimary.stream().filter(r -> r.outcome().equals("ok") && !r.received().isBefore(outageEnd))
                    .map(RecordedRequest::received).findFirst().orElseThrow();
            assertThat(backAt).as("first request the primary answered after its recovery")
                    .isBefore(outageEnd.plus(COOLDOWN).plus(SLACK));
            assertThat(atFallback.getLast().received()).as("the last request the fallback was asked")
                    .isBefore(backAt.plus(LATENCY).plus(SLACK));

            // stats and meters count the failovers of the pair
            long failedOver = servedBy.get("openai:gpt-4o-mini");
            assertThat(llm.stats().failovers()).containsExactly(new FailoverCount("openai:gpt-4o", "openai:gpt-4o-mini",
                    failedOver));
            assertThat(meters.get(StatsRecorder.FAILOVERS).tag("from", "openai:gpt-4o").tag("to", "openai:gpt-4o-mini")
                    .counter().count()).isEqualTo((double) failedOver);
            assertThat(llm.stats().toJson()).contains("\"failovers\":[{\"from\":\"openai:gpt-4o\","
                    + "\"to\":\"openai:gpt-4o-mini\",\"count\":" + failedOver + "}]");
            System.out.printf("failover outage: %d requests, %d failed, served by %s; %d probes reached the primary"
                            + " during the outage (bound %d); back at outage end + %d ms%n", REQUESTS, failed, servedBy,
                    probes, windows, Duration.between(outageEnd, backAt).toMillis());
        }
    }
}
