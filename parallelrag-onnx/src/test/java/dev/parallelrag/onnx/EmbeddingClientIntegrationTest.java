package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbedOptions;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.runtime.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local model plugs into EmbeddingClient: embed, embedMany, embedBatchParallel, stats and health. */
class EmbeddingClientIntegrationTest {

    @Test
    void localModelBehavesThroughTheClientAsOnItsOwn() {
        List<String> texts = new ArrayList<>(TestTexts.sotuSentences(150, 3));
        texts.addAll(TestTexts.NON_ASCII);
        try (OnnxEmbeddingModel direct = OnnxEmbeddingModel.allMiniLmL6V2Quantized();
             EmbeddingClient client = EmbeddingClient.create(OnnxEmbeddingModel.allMiniLmL6V2Quantized())) {
            List<float[]> expected = direct.embedBatch(texts);

            assertThat(client.modelId()).isEqualTo("local/all-minilm-l6-v2-q");
            assertThat(client.dimension()).isEqualTo(384);
            assertSame(List.of(client.embed(texts.get(0))), expected.subList(0, 1));
            assertSame(client.embedMany(texts), expected);

            List<Outcome<float[]>> parallel = client.embedBatchParallel(texts, EmbedOptions.concurrency(4).withBatchSize(16));
            assertThat(parallel).hasSize(texts.size()).allMatch(Outcome::isSuccess);
            assertSame(parallel.stream().map(o -> ((Outcome.Success<float[]>) o).value()).toList(), expected);

            assertThat(client.stats().successes()).isGreaterThanOrEqualTo(1 + 3 + texts.size() / 16);
            assertThat(client.stats().failures()).isZero();
            // health reports the local model like a remote one; its status also follows p95 latency, which on a
            // loaded shared machine says more about the machine than the model, so only the success rate is checked
            assertThat(client.health().details()).containsEntry("success_rate", 1.0).containsEntry("breaker", client.stats().breaker().state());
        }
    }

    @Test
    void blankTextFailsAloneInAParallelBatch() {
        try (EmbeddingClient client = EmbeddingClient.create(OnnxEmbeddingModel.allMiniLmL6V2Quantized())) {
            List<Outcome<float[]>> out = client.embedBatchParallel(List.of("first", "", "third"), EmbedOptions.concurrency(2));
            assertThat(out.get(0).isSuccess()).isTrue();
            assertThat(out.get(1)).isInstanceOfSatisfying(Outcome.Failure.class,
                    f -> assertThat(f.error()).isInstanceOf(ValidationException.class));
            assertThat(out.get(2).isSuccess()).isTrue();
        }
    }

    @Test
    void theSessionIsUpWhileOpenAndDownOnceClosedOnItsOwnAndThroughTheClient() {
        OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2Quantized();
        try (EmbeddingClient client = EmbeddingClient.create(model)) {
            client.embed("one text");
            Health open = model.health();
            assertThat(open.status()).isEqualTo(HealthStatus.UP);
            assertThat(open.reason()).isEqualTo("local model local/all-minilm-l6-v2-q loaded, ONNX Runtime session open"
                    + " (1 texts embedded in 1 inference calls)");
            assertThat(open.details()).containsEntry("texts_inferred", 1L).containsEntry("calls_running", 0);
            assertThat(client.health().status()).isEqualTo(HealthStatus.UP);

            model.close();
            assertThat(model.health().status()).isEqualTo(HealthStatus.DOWN);
            assertThat(model.health().reason()).contains("is closed");
            Health throughClient = client.health();
            assertThat(throughClient.status()).as("the client is no better than the model it wraps").isEqualTo(HealthStatus.DOWN);
            assertThat(throughClient.reason()).contains("is closed");
        }
    }

    /** Different request batches pad differently, which moves the last float bits only. */
    private static void assertSame(List<float[]> actual, List<float[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(ReferenceVectors.cosine(actual.get(i), expected.get(i))).as("text %d", i).isGreaterThan(0.99999);
        }
    }
}
