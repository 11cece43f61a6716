package dev.parallelrag.bench.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.graph.GraphFusions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the load-time graph fusions buy, measured so that machine drift cannot fake it: one JVM holds the model
 * as exported and as fused, and runs them alternately on the same sequence, one thread each. Reports each
 * side's median forward pass, the median of the per-round speed-ups, and the largest difference between the
 * two sides' token vectors.
 *
 * <pre>java -cp parallelrag-bench/target/benchmarks.jar dev.parallelrag.bench.embed.FusionAB [TOKENS=258] [ROUNDS=100] [full|q]</pre>
 */
public final class FusionAB {

    private FusionAB() {
    }

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 258;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String resource = args.length > 2 && args[2].equals("q") ? "/all-minilm-l6-v2-q.onnx" : "/all-minilm-l6-v2.onnx";
        byte[] exported;
        try (InputStream in = FusionAB.class.getResourceAsStream(resource)) {
            exported = in.readAllBytes();
        }
        long t0 = System.nanoTime();
        GraphFusions.FusedModel fusion = GraphFusions.fuse(new ByteArrayInputStream(exported));
        System.out.printf(Locale.ROOT, "# %s: %s in %d ms; %d tokens, 1 thread, %d rounds, load %s%n", resource, fusion,
                (System.nanoTime() - t0) / 1_000_000, tokens, rounds, LocalEmbeddingBench.loadAverage());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SyntheticSequence sequence = SyntheticSequence.of(tokens);
        try (OrtSession.SessionOptions options = OnnxEmbeddingConfig.builder().threads(1).build().sessionOptions();
             OrtSession a = env.createSession(exported, options);
             OrtSession b = env.createSession(fusion.toByteArray(), options)) {
            double[][] ms = new double[2][rounds];
            float[][] last = new float[2][];
            OrtSession[] sides = {a, b};
            for (int r = -5; r < rounds; r++) { // 5 untimed warm-up rounds
                for (int s = 0; s < 2; s++) {
                    long start = System.nanoTime();
                    last[s] = sequence.run(env, sides[s]);
                    if (r >= 0) {
                        ms[s][r] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
            double[] speedUp = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                speedUp[r] = ms[0][r] / ms[1][r];
            }
            float maxDiff = 0;
            for (int i = 0; i < last[0].length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(last[0][i] - last[1][i]));
            }
            System.out.printf(Locale.ROOT, "exported: median %.1f ms %s%n", median(ms[0]), spread(ms[0]));
            System.out.printf(Locale.ROOT, "fused:    median %.1f ms %s%n", median(ms[1]), spread(ms[1]));
            System.out.printf(Locale.ROOT, "speed-up per round: median %.3f %s; max |difference| of token vectors %.2e%n",
                    median(speedUp), spread(speedUp), maxDiff);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return LocalEmbeddingBench.median(sorted);
    }

    /** The 10th and 90th percentiles, to show how far the rounds scatter. */
    private static String spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "(p10 %.3f, p90 %.3f)", sorted[sorted.length / 10], sorted[sorted.length * 9 / 10]);
    }
}
