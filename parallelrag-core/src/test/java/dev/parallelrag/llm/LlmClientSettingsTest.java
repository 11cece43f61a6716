package dev.parallelrag.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.health.ClientHealthPolicy;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.runtime.InFlightProbe;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.stats.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each {@link LlmClient.Builder} setting and {@link CompletionOptions#concurrency()}, set to a value other
 * than its default, changes what the client does. Rows of docs/configuration.md name these; the other
 * completion options are proven on the wire by {@code CompletionOptionsWireTest}.
 */
class LlmClientSettingsTest {

    /** Answers "ok", fails prompts equal to {@code failOn} with a permanent 500 (a provider fault), and probes the overlap. */
    static final class ProbeChatModel implements ChatModel {
        final InFlightProbe probe;
        private final String failOn;

        ProbeChatModel(int lingerFor, String failOn) {
            this.probe = new InFlightProbe(lingerFor);
            this.failOn = failOn;
        }

        @Override
        public String provider() {
            return "test";
        }

        @Override
        public String model() {
            return "probe";
        }

        @Override
        public ChatResult chat(ChatRequest request) {
            probe.enter();
            String prompt = request.conversation().get(request.conversation().size() - 1).content();
            if (prompt.equals(failOn)) {
                throw new ProviderException("broken", 500, "internal error", false);
            }
            return new ChatResult("ok", "probe", "id", "stop", TokenUsage.of(1, 1));
        }

        @Override
        public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
            ChatResult r = chat(request);
            onDelta.accept(r.content());
            return r;
        }
    }

    private static List<String> prompts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "prompt " + i).toList();
    }

    @Test
    void defaultConcurrencyBoundsRequestsInFlightWhenTheOptionsDoNotSay() {
        for (int concurrency : new int[] {1, 3}) {
            ProbeChatModel model = new ProbeChatModel(concurrency, null);
            try (LlmClient client = LlmClient.builder(model).defaultConcurrency(concurrency).build()) {
                assertThat(client.completeBatch(prompts(12))).allMatch(Outcome::isSuccess);
            }
            assertThat(model.probe.peak()).as("defaultConcurrency %d", concurrency).isEqualTo(concurrency);
        }
    }

    @Test
    void optionsConcurrencyBoundsRequestsInFlightForOneBatch() {
        ProbeChatModel model = new ProbeChatModel(2, null);
        try (LlmClient client = LlmClient.builder(model).defaultConcurrency(8).build()) {
            assertThat(client.completeBatch(prompts(12), CompletionOptions.builder().concurrency(2).build()))
                    .allMatch(Outcome::isSuccess);
        }
        assertThat(model.probe.peak()).isEqualTo(2);
    }

    @Test
    void runtimeRunsTheRequestsOnItsThreads() {
        ProbeChatModel model = new ProbeChatModel(1, null);
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().threadNamePrefix("mine").build());
             LlmClient client = LlmClient.builder(model).runtime(runtime).build()) {
            client.completeBatch(prompts(4));
        }
        assertThat(model.probe.threads()).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("mine-io-"));
    }

    @Test
    void meterRegistryReceivesTheClientsMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LlmClient client = LlmClient.builder(new ProbeChatModel(1, null)).meterRegistry(registry).build()) {
            client.complete("one prompt");
        }
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).contains("gen_ai.client.operation.duration");
    }

    @Test
    void healthPolicyDecidesTheVerdict() {
        // one request of two fails: 50 % is DOWN by the default thresholds, UP by a policy that tolerates 40 %
        ClientHealthPolicy strict = ClientHealthPolicy.builder().minimumRequests(1).build();
        ClientHealthPolicy lenient = strict.toBuilder().degradedSuccessRate(0.4).downSuccessRate(0.3).build();
        List<HealthStatus> verdicts = new ArrayList<>();
        for (ClientHealthPolicy policy : List.of(strict, lenient)) {
            try (LlmClient client = LlmClient.builder(new ProbeChatModel(1, "bad")).healthPolicy(policy).build()) {
                client.completeBatch(List.of("good", "bad"));
                verdicts.add(client.health().status());
            }
        }
        assertThat(verdicts).containsExactly(HealthStatus.DOWN, HealthStatus.UP);
    }
}
