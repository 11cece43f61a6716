package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each {@link OnnxEmbeddingConfig} setting, set away from its default, changes how a real model (the bundled
 * all-MiniLM-L6-v2) runs: how many windows a text gets, how many inference calls a batch takes, how many
 * threads infer, which graph runs. Batching is shown on the full model: the quantized one always infers one
 * sequence per call (docs/embeddings-local.md). Rows of docs/configuration.md name these.
 */
class OnnxSettingsTest {

    /** About 300 word-piece tokens of prose: one window at 512, several at 128. */
    private static final String LONG_TEXT = ("The report of the secretary of the treasury shows the receipts and the "
            + "expenditures of the government for the fiscal year, and the state of the public debt. ").repeat(10);

    private static final List<String> SHORT_TEXTS = List.of("The navy needs new ships.", "Tariffs on wool were reduced.",
            "Treaties were ratified.", "The mails reached the western territories.");

    private static OnnxStats run(OnnxEmbeddingConfig config, List<String> texts) {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(config)) {
            model.embedBatch(texts);
            return model.stats();
        }
    }

    @Test
    void maxSequenceLengthAndWindowOverlapDecideTheWindowsOfALongText() {
        OnnxStats whole = run(OnnxEmbeddingConfig.defaults(), List.of(LONG_TEXT));
        OnnxStats backToBack = run(OnnxEmbeddingConfig.builder().maxSequenceLength(128).windowOverlap(0).build(), List.of(LONG_TEXT));
        OnnxStats overlapping = run(OnnxEmbeddingConfig.builder().maxSequenceLength(128).windowOverlap(60).build(), List.of(LONG_TEXT));

        assertThat(whole.windows()).as("default 512 tokens").isEqualTo(1);
        assertThat(backToBack.windows()).as("126-token windows, no overlap").isGreaterThanOrEqualTo(3);
        assertThat(overlapping.windows()).as("the same windows sharing 60 tokens").isGreaterThan(backToBack.windows());
    }

    @Test
    void maxBatchSizeBoundsTheSequencesPerInferenceCall() {
        assertThat(run(OnnxEmbeddingConfig.defaults(), SHORT_TEXTS).inferenceCalls()).isEqualTo(1);
        assertThat(run(OnnxEmbeddingConfig.builder().maxBatchSize(1).build(), SHORT_TEXTS).inferenceCalls()).isEqualTo(4);
    }

    @Test
    void batchTokenBudgetBoundsThePaddedTokensPerInferenceCall() {
        OnnxEmbeddingConfig tight = OnnxEmbeddingConfig.builder().maxSequenceLength(16).windowOverlap(4)
                .batchTokenBudget(16).build();
        OnnxStats stats = run(tight, SHORT_TEXTS);
        assertThat(stats.inferenceCalls()).as("16 padded tokens hold one or two short sentences per call").isGreaterThan(1);
        assertThat(stats.paddedTokens()).isLessThanOrEqualTo(16L * stats.inferenceCalls());
    }

    @Test
    void threadsOverIntraOpThreadsIsTheNumberOfInferenceWorkers() {
        assertThat(workersUsed(OnnxEmbeddingConfig.builder().threads(2).intraOpThreads(1).build())).isEqualTo(2);
        assertThat(workersUsed(OnnxEmbeddingConfig.builder().threads(2).intraOpThreads(2).build())).isEqualTo(1);
        assertThat(workersUsed(OnnxEmbeddingConfig.builder().threads(1).intraOpThreads(1).build())).isEqualTo(1);
    }

    /** The model's inference threads that exist after embedding eight texts one per call. */
    private static long workersUsed(OnnxEmbeddingConfig config) {
        Set<String> before = onnxThreads();
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2Quantized(config.toBuilder().maxBatchSize(1).build())) {
            model.embedBatch(java.util.Collections.nCopies(8, SHORT_TEXTS.get(0)));
            return onnxThreads().stream().filter(name -> !before.contains(name)).count();
        }
    }

    private static Set<String> onnxThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("parallelrag-onnx-")).collect(Collectors.toSet());
    }

    @Test
    void fuseGraphRunsTheFusedKernelsWhichRoundDifferently() {
        float[] fused;
        float[] exported;
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxEmbeddingConfig.defaults())) {
            fused = model.embedBatch(List.of(LONG_TEXT)).get(0);
        }
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxEmbeddingConfig.builder().fuseGraph(false).build())) {
            exported = model.embedBatch(List.of(LONG_TEXT)).get(0);
        }
        double dot = 0;
        for (int i = 0; i < fused.length; i++) {
            dot += fused[i] * exported[i];
        }
        assertThat(dot).as("the same vector up to float rounding").isGreaterThan(0.9999);
        assertThat(fused).as("but computed by other kernels, so not bit for bit").isNotEqualTo(exported);
    }

    @Test
    void allowSpinningIsTheSessionsSpinSetting() throws OrtException {
        for (boolean spinning : new boolean[] {false, true}) {
            try (OrtSession.SessionOptions options = OnnxEmbeddingConfig.builder().allowSpinning(spinning).build().sessionOptions()) {
                assertThat(options.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            }
        }
    }
}
