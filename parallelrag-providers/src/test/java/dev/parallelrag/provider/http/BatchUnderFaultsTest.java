package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbedOptions;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Must show 2: 1,000 items with 20 % transient faults injected. Every result sits at its own index and is
 * the right one, nothing is lost or duplicated, and permanent failures hit only their own items.
 */
class BatchUnderFaultsTest {

    private static final int N = 1000;
    private static final int DIM = 32;

    /** 20 % of requests fail with a transient fault, no body more than twice; "PERM-" bodies always get 400. */
    private static FaultPlan faults() {
        return FaultPlan.firstOf(FaultPlan.onMarker("PERM-", Fault.status(400)),
                FaultPlan.rate(0.2, 42, Fault.status(429), Fault.status(500), Fault.status(503), Fault.status(529),
                        Fault.connectionReset()).maxPerBody(2));
    }

    private static boolean permanent(int i) {
        return i % 100 == 37;
    }

    @Test
    void completeBatchOnAThousandPromptsWithTwentyPercentFaults() {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            prompts.add(i == 500 ? "" : (permanent(i) ? "PERM-" : "") + "question number " + i);
        }
        try (FakeProviderServer server = FakeProviderServer.builder().faults(faults()).start();
             LlmClient llm = Wire.llm(Wire.OPENAI.config(server), "gpt-4o-mini", Wire.FAST)) {
            List<Outcome<Completion>> out = llm.completeBatch(prompts, CompletionOptions.builder().maxTokens(64)
                    .concurrency(64).build());

            assertThat(out).hasSize(N);
            Set<String> contents = new HashSet<>();
            for (int i = 0; i < N; i++) {
                Outcome<Completion> o = out.get(i);
                if (i == 500) {
                    assertThat(((Outcome.Failure<Completion>) o).error()).isInstanceOf(ValidationException.class)
                            .hasMessageContaining("prompts[500]");
                } else if (permanent(i)) {
                    assertThat(((Outcome.Failure<Completion>) o).error()).isInstanceOf(ProviderException.class)
                            .satisfies(e -> assertThat(((ProviderException) e).status()).isEqualTo(400));
                } else {
                    Completion c = o.orElseThrow();
                    assertThat(c.content()).as("item %d", i).isEqualTo(FakeContent.answer(prompts.get(i)));
                    assertThat(contents.add(c.content())).as("item %d is not a duplicate", i).isTrue();
                }
            }
            // each answered prompt was served successfully exactly once: nothing lost, nothing duplicated
            Map<String, Long> okPerBody = server.requests().stream().filter(r -> r.outcome().equals("ok"))
                    .collect(Collectors.groupingBy(RecordedRequest::body, Collectors.counting()));
            assertThat(okPerBody).hasSize(N - 11).allSatisfy((body, n) -> assertThat(n).isEqualTo(1));
            long injected = server.requests().stream().filter(r -> !r.outcome().equals("ok")).count();
            assertThat(injected).as("faults were really injected").isGreaterThan(150);
            assertThat(llm.stats().successes()).isEqualTo(N - 11);
            assertThat(llm.stats().failuresByKind()).containsEntry("validation", 11L);
        }
    }

    @Test
    void embedBatchParallelOnAThousandTextsWithTwentyPercentFaults() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            texts.add((permanent(i) ? "PERM-" : "") + "passage " + i + " about topic " + (i % 17));
        }
        try (FakeProviderServer server = FakeProviderServer.builder().dimension(DIM).faults(faults()).start();
             EmbeddingClient emb = Wire.embeddings(Wire.OPENAI.config(server), "text-embedding-3-small", Wire.FAST)) {
            List<Outcome<float[]>> out = emb.embedBatchParallel(texts, EmbedOptions.concurrency(16).withBatchSize(10));

            assertThat(out).hasSize(N);
            for (int i = 0; i < N; i++) {
                if (permanent(i)) {
                    assertThat(((Outcome.Failure<float[]>) out.get(i)).error()).as("item %d", i)
                            .isInstanceOf(ProviderException.class);
                } else {
                    assertThat(out.get(i).orElseThrow()).as("item %d", i)
                            .containsExactly(FakeContent.embedding(texts.get(i), DIM));
                }
            }
            assertThat(server.requests().stream().filter(r -> !r.outcome().equals("ok")).count()).isGreaterThan(20);
            assertThat(emb.stats().retries()).isPositive();
        }
    }

    @Test
    void theSameBatchGivesTheSameResultsSequentiallyAndInParallel() {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            prompts.add("prompt " + i);
        }
        FaultPlan transientOnly = FaultPlan.rate(0.2, 7, Fault.status(500), Fault.status(529), Fault.connectionReset())
                .maxPerBody(2);
        try (FakeProviderServer server = FakeProviderServer.builder().faults(transientOnly).start();
             LlmClient llm = Wire.llm(Wire.ANTHROPIC.config(server), "claude", Wire.FAST)) {
            Function<Integer, List<String>> run = c -> llm.completeBatch(prompts,
                    CompletionOptions.builder().concurrency(c).build()).stream().map(o -> o.orElseThrow().content()).toList();
            assertThat(run.apply(1)).isEqualTo(run.apply(32));
        }
    }
}
