package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must show 1: 500 texts from 1 to 600 tokens, non-ASCII included, give vectors with cosine >= 0.9999 to
 * LangChain4j's for every batch size and thread setting we offer.
 *
 * <p>Like is compared with like. LangChain4j's AllMiniLmL6V2EmbeddingModel cuts every text to 128 tokens
 * (its tokenizer.json says so), so it is the reference for the texts that fit in 128 tokens. For longer
 * texts up to the 512-token model limit the reference is LangChain4j's OnnxEmbeddingModel on the same
 * files with that truncation removed. Texts over 510 tokens are windowed by both, with different window
 * rules by design; {@link LongTextTest} checks ours by its own properties.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameVectorsAsLangChain4jTest {

    private static final double MIN_COSINE = 0.9999;

    private List<String> texts;
    private List<float[]> reference;
    private int[] tokenCounts;
    private OnnxEmbeddingModel defaults;

    @BeforeAll
    void embedReference(@TempDir Path dir) {
        defaults = OnnxEmbeddingModel.allMiniLmL6V2();
        texts = TestTexts.variedLengths(500, 1, 600, 42, defaults::countTokens);
        tokenCounts = texts.stream().mapToInt(defaults::countTokens).toArray();
        List<String> shortTexts = new ArrayList<>();
        List<String> mediumTexts = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (tokenCounts[i] <= 126) {
                shortTexts.add(texts.get(i));
            } else if (tokenCounts[i] <= 510) {
                mediumTexts.add(texts.get(i));
            }
        }
        List<float[]> lc4jShort = ReferenceVectors.allMiniLm(shortTexts);
        // the untruncated LangChain4j model agrees with AllMiniLmL6V2EmbeddingModel where neither cuts: a fair stand-in
        List<String> probe = new ArrayList<>(shortTexts.subList(shortTexts.size() - 10, shortTexts.size()));
        probe.addAll(mediumTexts);
        List<float[]> lc4jFull = ReferenceVectors.allMiniLmUntruncated(probe, dir);
        for (int i = 0; i < 10; i++) {
            assertThat(ReferenceVectors.cosine(lc4jShort.get(shortTexts.size() - 10 + i), lc4jFull.get(i))).isGreaterThan(0.99999);
        }
        reference = new ArrayList<>();
        int s = 0;
        int m = 10;
        for (int i = 0; i < texts.size(); i++) {
            reference.add(tokenCounts[i] <= 126 ? lc4jShort.get(s++) : tokenCounts[i] <= 510 ? lc4jFull.get(m++) : null);
        }
    }

    @AfterAll
    void close() {
        defaults.close();
    }

    @Test
    void corpusSpansOneToSixHundredTokensWithNonAscii() {
        IntSummaryStatistics lengths = java.util.Arrays.stream(tokenCounts).summaryStatistics();
        assertThat(lengths.getMin()).isEqualTo(1);
        assertThat(lengths.getMax()).isBetween(590, 600);
        assertThat(texts.stream().filter(t -> t.chars().anyMatch(c -> c > 0x7F)).count()).isGreaterThanOrEqualTo(80);
    }

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("defaults (2 threads x 1 intra-op, up to 32 texts in 512 tokens, fused graph)", OnnxEmbeddingConfig.defaults()),
                Arguments.of("graph as exported (no fusions)", OnnxEmbeddingConfig.builder().fuseGraph(false).build()),
                Arguments.of("batch size 32, budget 4096", OnnxEmbeddingConfig.builder().maxBatchSize(32).batchTokenBudget(4096).build()),
                Arguments.of("batch size 8, 1 thread", OnnxEmbeddingConfig.builder().maxBatchSize(8).threads(1).build()),
                Arguments.of("1 session x 2 intra-op threads, batch 32", OnnxEmbeddingConfig.builder().threads(2).intraOpThreads(2).maxBatchSize(32).build()),
                Arguments.of("small token budget 1024", OnnxEmbeddingConfig.builder().batchTokenBudget(1024).maxBatchSize(256).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void everyVectorMatchesLangChain4j(String name, OnnxEmbeddingConfig config) {
        try (OnnxEmbeddingModel model = name.startsWith("defaults") ? null : OnnxEmbeddingModel.allMiniLmL6V2(config)) {
            OnnxEmbeddingModel m = model == null ? defaults : model;
            // the defaults run on all 500 texts; other settings on every fifth one (still 1 to 600 tokens), to keep the test short
            int step = model == null ? 1 : 5;
            List<String> sample = new ArrayList<>();
            for (int i = 0; i < texts.size(); i += step) {
                sample.add(texts.get(i));
            }
            List<float[]> embedded = m.embedBatch(sample);
            float[][] ours = new float[texts.size()][];
            for (int k = 0; k < embedded.size(); k++) {
                ours[k * step] = embedded.get(k);
            }
            double worst = 1;
            int compared = 0;
            for (int i = 0; i < texts.size(); i += step) {
                assertThat(ours[i]).hasSize(384);
                assertThat(norm(ours[i])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                if (reference.get(i) != null) {
                    double cos = ReferenceVectors.cosine(ours[i], reference.get(i));
                    worst = Math.min(worst, cos);
                    compared++;
                    assertThat(cos).as("cosine of text %d (%d tokens) with %s", i, tokenCounts[i], name)
                            .isGreaterThanOrEqualTo(MIN_COSINE);
                }
            }
            System.out.printf("same-vectors %s: worst cosine %.7f over %d texts%n", name, worst, compared);
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
