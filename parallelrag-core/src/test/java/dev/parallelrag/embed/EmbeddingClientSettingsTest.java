package dev.parallelrag.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.health.ClientHealthPolicy;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.runtime.InFlightProbe;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.split.LengthFunction;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each {@link EmbeddingClient.Builder} and {@link EmbedOptions} setting, set to a value other than its
 * default, changes what the client does. Rows of docs/configuration.md name these.
 */
class EmbeddingClientSettingsTest {

    /** Records the batches, and through its probe how many ran at once and where; fails batches holding {@code failOn}. */
    static final class ProbeModel implements EmbeddingModel {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final InFlightProbe probe;
        private final int maxBatch;
        private final String failOn;

        ProbeModel(int maxBatch, String failOn, int lingerFor) {
            this.maxBatch = maxBatch;
            this.failOn = failOn;
            this.probe = new InFlightProbe(lingerFor);
        }

        ProbeModel(int maxBatch) {
            this(maxBatch, null, 1);
        }

        @Override
        public String modelId() {
            return "test/probe";
        }

        @Override
        public int dimension() {
            return 4;
        }

        @Override
        public int maxBatchSize() {
            return maxBatch;
        }

        @Override
        public int maxBatchTokens() {
            return 1_000_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            probe.enter();
            if (failOn != null && texts.contains(failOn)) {
                throw new ProviderException("broken", 500, "internal error", false);
            }
            batchSizes.add(texts.size());
            batches.add(List.copyOf(texts));
            return texts.stream().map(t -> new float[] {t.length(), 1, 2, 3}).toList();
        }
    }

    private static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "text number " + i).toList();
    }

    @Test
    void defaultConcurrencyBoundsBatchesInFlightWithoutOptions() {
        for (int concurrency : new int[] {1, 3}) {
            ProbeModel model = new ProbeModel(1, null, concurrency);
            try (EmbeddingClient client = EmbeddingClient.builder(model).defaultConcurrency(concurrency).build()) {
                assertThat(client.embedBatchParallel(texts(12))).allMatch(Outcome::isSuccess);
            }
            assertThat(model.probe.peak()).as("defaultConcurrency %d", concurrency).isEqualTo(concurrency);
        }
    }

    @Test
    void optionsConcurrencyBoundsBatchesInFlightForOneCall() {
        ProbeModel model = new ProbeModel(1, null, 2);
        try (EmbeddingClient client = EmbeddingClient.builder(model).defaultConcurrency(8).build()) {
            assertThat(client.embedBatchParallel(texts(12), EmbedOptions.concurrency(2))).allMatch(Outcome::isSuccess);
        }
        assertThat(model.probe.peak()).isEqualTo(2);
    }

    @Test
    void optionsBatchSizeIsTheNumberOfTextsPerRequest() {
        ProbeModel model = new ProbeModel(100);
        try (EmbeddingClient client = EmbeddingClient.create(model)) {
            client.embedBatchParallel(texts(10), EmbedOptions.concurrency(1).withBatchSize(3));
        }
        assertThat(model.batchSizes).containsExactly(3, 3, 3, 1);
    }

    @Test
    void optionsMaxBatchTokensBoundsTheEstimatedTokensPerRequest() {
        LengthFunction tokens = LengthFunction.tokens("cl100k_base");
        List<String> texts = texts(10);
        int perText = tokens.length(texts.get(0));
        ProbeModel model = new ProbeModel(100);
        try (EmbeddingClient client = EmbeddingClient.create(model)) {
            client.embedBatchParallel(texts, EmbedOptions.concurrency(1).withMaxBatchTokens(2 * perText + 1));
        }
        assertThat(model.batches).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(b -> assertThat(b.stream().mapToInt(tokens::length).sum()).isLessThanOrEqualTo(2 * perText + 1));
    }

    @Test
    void runtimeRunsTheBatchesOnItsThreads() {
        ProbeModel model = new ProbeModel(1);
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().threadNamePrefix("mine").build());
             EmbeddingClient client = EmbeddingClient.builder(model).runtime(runtime).build()) {
            client.embedBatchParallel(texts(4));
            assertThat(runtime.isClosed()).isFalse();
        }
        assertThat(model.probe.threads()).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("mine-io-"));
    }

    @Test
    void meterRegistryReceivesTheClientsMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddingClient client = EmbeddingClient.builder(new ProbeModel(10)).meterRegistry(registry).build()) {
            client.embed("one text");
            assertThat(client.meterRegistry()).isSameAs(registry);
        }
        List<String> names = new ArrayList<>();
        for (Meter m : registry.getMeters()) {
            names.add(m.getId().getName());
        }
        assertThat(names).contains("gen_ai.client.operation.duration");
    }

    @Test
    void healthPolicyDecidesTheVerdict() {
        // one request of two fails: 50 % is DOWN by the default thresholds, UP by a policy that tolerates 40 %
        ClientHealthPolicy strict = ClientHealthPolicy.builder().minimumRequests(1).build();
        ClientHealthPolicy lenient = strict.toBuilder().degradedSuccessRate(0.4).downSuccessRate(0.3).build();
        List<HealthStatus> verdicts = Collections.synchronizedList(new ArrayList<>());
        for (ClientHealthPolicy policy : List.of(strict, lenient)) {
            try (EmbeddingClient client = EmbeddingClient.builder(new ProbeModel(1, "bad", 1)).healthPolicy(policy).build()) {
                client.embedBatchParallel(List.of("good", "bad"), EmbedOptions.concurrency(1));
                verdicts.add(client.health().status());
            }
        }
        assertThat(verdicts).containsExactly(HealthStatus.DOWN, HealthStatus.UP);
    }
}
