package dev.parallelrag.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingClientTest {

    private static final ResilienceConfig FAST = ResilienceConfig.builder()
            .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build();

    @Test
    void embedBatchParallelKeepsOrderIsolatesBadTextsAndKeepsFinishedBatches() {
        HashEmbeddingModel model = new HashEmbeddingModel(8, 16, 100_000, 7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            texts.add(i == 500 ? " " : i == 777 ? "POISON " + i : "text number " + i);
        }
        try (EmbeddingClient client = EmbeddingClient.builder(model).resilience(FAST).build()) {
            List<Outcome<float[]>> out = client.embedBatchParallel(texts, EmbedOptions.concurrency(8));
            assertThat(out).hasSize(1000);
            for (int i = 0; i < 1000; i++) {
                if (i == 500) {
                    assertThat(((Outcome.Failure<float[]>) out.get(i)).error()).isInstanceOf(ValidationException.class)
                            .hasMessageContaining("texts[500]");
                } else if (i == 777) {
                    assertThat(((Outcome.Failure<float[]>) out.get(i)).error()).isInstanceOf(ProviderException.class);
                } else {
                    assertThat(out.get(i).orElseThrow()).as("item %d", i).containsExactly(HashEmbeddingModel.vectorOf(texts.get(i), 8));
                }
            }
            assertThat(client.dimension()).isEqualTo(8);
            assertThat(model.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(998);
            assertThat(client.stats().retries()).isPositive();
            // the blank text, and each batch the provider rejected for holding the poisoned one (a 400): rejected input
            assertThat(client.stats().failuresByKind()).containsEntry("other", 0L).containsEntry("server", 0L)
                    .hasEntrySatisfying("validation", n -> assertThat(n).isGreaterThan(1L));
        }
    }

    @Test
    void embedManyBatchesByItemCountAndTokenBudget() {
        HashEmbeddingModel byCount = new HashEmbeddingModel(4, 3, 1_000_000, 0);
        try (EmbeddingClient client = EmbeddingClient.create(byCount)) {
            List<float[]> v = client.embedMany(List.of("a", "b", "c", "d", "e", "f", "g"));
            assertThat(v).hasSize(7);
            assertThat(v.get(6)).containsExactly(HashEmbeddingModel.vectorOf("g", 4));
            assertThat(byCount.batchSizes).containsExactly(3, 3, 1);
        }
        HashEmbeddingModel byTokens = new HashEmbeddingModel(4, 100, 10, 0);
        String fiveTokens = "one two three four five";
        try (EmbeddingClient client = EmbeddingClient.create(byTokens)) {
            client.embedMany(List.of(fiveTokens, fiveTokens, fiveTokens, fiveTokens, fiveTokens));
            assertThat(byTokens.batchSizes).containsExactly(2, 2, 1);
        }
    }

    @Test
    void blankInputIsAValidationErrorNamingTheItem() {
        try (EmbeddingClient client = EmbeddingClient.create(new HashEmbeddingModel(4, 3, 1000, 0))) {
            assertThatThrownBy(() -> client.embedMany(List.of("a", ""))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("texts[1]").hasMessageContaining("must not be empty");
            assertThatThrownBy(() -> client.embed("  ")).isInstanceOf(ValidationException.class);
            assertThat(client.stats().failuresByKind()).containsEntry("validation", 2L);
        }
    }

    @Test
    void optionsAskingForMoreThanTheModelTakesAreRefusedNotCapped() {
        try (EmbeddingClient client = EmbeddingClient.create(new HashEmbeddingModel(4, 3, 1000, 0))) {
            assertThatThrownBy(() -> client.embedBatchParallel(List.of("a"), EmbedOptions.concurrency(1).withBatchSize(4)))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("batchSize")
                    .hasMessageContaining("3 texts").hasMessageContaining("at most 3");
            assertThatThrownBy(() -> client.embedBatchParallel(List.of("a"),
                    EmbedOptions.concurrency(1).withMaxBatchTokens(1001))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("maxBatchTokens").hasMessageContaining("1000 tokens");
        }
    }

    @Test
    void theClientIsAModelWhoseBatchGoesThroughTheProtectionStack() {
        HashEmbeddingModel inner = new HashEmbeddingModel(4, 3, 1_000_000, 2); // every 2nd call fails with a 503
        try (EmbeddingClient client = EmbeddingClient.builder(inner).resilience(FAST).build()) {
            EmbeddingModel model = client;
            assertThat(model.modelId()).isEqualTo(inner.modelId());
            assertThat(model.maxBatchSize()).isEqualTo(3);
            assertThat(model.space()).isEqualTo(inner.space());
            List<float[]> v = model.embedBatch(List.of("a", "b", "c", "d"));
            assertThat(v).hasSize(4);
            assertThat(v.get(3)).containsExactly(HashEmbeddingModel.vectorOf("d", 4));
            assertThat(inner.batchSizes).allMatch(n -> n <= 3);
            assertThat(client.stats().successes()).isEqualTo(2);
            assertThat(client.stats().retries()).isEqualTo(1);
        }
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> EmbedOptions.concurrency(0)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("concurrency");
    }

    private static EmbeddingModel inSpace(EmbeddingSpace space) {
        return new HashEmbeddingModel(8, 16, 10_000, 0, space);
    }

    @Test
    void aFallbackMustEmbedIntoTheSameSpaceNormalisationAndRevisionIncluded() {
        EmbeddingSpace space = new EmbeddingSpace("test", "test/hash", "hash-v1", 0, false);
        try (EmbeddingClient raw = EmbeddingClient.create(inSpace(space));
             EmbeddingClient normalised = EmbeddingClient.create(inSpace(new EmbeddingSpace("test", "test/hash",
                     "hash-v1", 0, true)));
             EmbeddingClient otherRevision = EmbeddingClient.create(inSpace(new EmbeddingSpace("test", "test/hash",
                     "hash-v2", 0, false)))) {
            assertThatThrownBy(() -> EmbeddingClient.builder(inSpace(space)).fallback(normalised).build())
                    .isInstanceOf(ValidationException.class).hasMessageContaining("fallback")
                    .hasMessageContaining("raw vs L2-normalised vectors").hasMessageContaining("test/hash");
            assertThatThrownBy(() -> EmbeddingClient.builder(inSpace(space)).fallback(otherRevision).build())
                    .isInstanceOf(ValidationException.class).hasMessageContaining("revision 'hash-v1' vs 'hash-v2'");
            // the same space is allowed: a primary failing every call (503) is replaced by it
            try (EmbeddingClient same = EmbeddingClient.builder(new HashEmbeddingModel(8, 16, 10_000, 1, space))
                    .fallback(raw).build()) {
                assertThat(same.embed("allowed")).containsExactly(HashEmbeddingModel.vectorOf("allowed", 8));
                assertThat(same.candidates()).containsExactly("test:hash#1", "test:hash#2");
                assertThat(same.stats().failoverTotal()).isEqualTo(1);
            }
        }
    }
}
