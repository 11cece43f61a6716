package dev.parallelrag.onnx;

/**
 * Counters of an {@link OnnxEmbeddingModel} since it was created.
 *
 * @param texts          texts embedded
 * @param windows        model windows run (one per text, more for texts over the sequence limit)
 * @param tokens         real tokens run, {@code [CLS]}/{@code [SEP]} included
 * @param paddedTokens   tokens including padding (rows x longest row, summed over micro-batches)
 * @param inferenceCalls ONNX Runtime session runs (micro-batches)
 * @param inferenceNanos wall time spent inside session runs, summed over threads
 */
public record OnnxStats(long texts, long windows, long tokens, long paddedTokens, long inferenceCalls, long inferenceNanos) {

    /** Share of the computed positions that were padding: what length bucketing keeps small. */
    public double paddingRatio() {
        return paddedTokens == 0 ? 0 : 1.0 - (double) tokens / paddedTokens;
    }
}
