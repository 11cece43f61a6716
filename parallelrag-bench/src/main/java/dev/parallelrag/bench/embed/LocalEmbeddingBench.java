package dev.parallelrag.bench.embed;

import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.tokenizer.BertTokenizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Side-by-side throughput harness for local embeddings. One JVM per engine and corpus (so peak RSS is that
 * engine's own); scripts/bench-local-embeddings.sh runs them all in one go.
 *
 * <pre>
 * java -cp parallelrag-bench/target/benchmarks.jar dev.parallelrag.bench.embed.LocalEmbeddingBench \
 *      --engine ours|lc4j|lc4j-untruncated --model full|q|bge|bge-q --corpus sentences|chunks [--count 2000] [--slices 4]
 *      [--warmup 64] [--threads N --intra N --batch N --budget N --fuse true|false] [--save-vectors dir]
 * java ... LocalEmbeddingBench --recall dir      (recall@10 of full vs quantized from saved vectors)
 * </pre>
 * After a warm-up, the texts are embedded in {@code slices} consecutive timed slices (together: every
 * text once); the report gives the median slice throughput and the spread (min..max).
 */
public final class LocalEmbeddingBench {

    private LocalEmbeddingBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        if (a.containsKey("recall")) {
            Recall.report(Path.of(a.get("recall")));
            return;
        }
        String engineName = a.getOrDefault("engine", "ours");
        String model = a.getOrDefault("model", "full");
        String corpus = a.getOrDefault("corpus", "chunks");
        int count = Integer.parseInt(a.getOrDefault("count", "2000"));
        int slices = Integer.parseInt(a.getOrDefault("slices", "4"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "64"));
        Path data = Path.of(a.getOrDefault("data", "data/sotu"));
        OnnxEmbeddingConfig.Builder cb = OnnxEmbeddingConfig.builder();
        if (a.containsKey("threads")) cb.threads(Integer.parseInt(a.get("threads")));
        if (a.containsKey("intra")) cb.intraOpThreads(Integer.parseInt(a.get("intra")));
        if (a.containsKey("batch")) cb.maxBatchSize(Integer.parseInt(a.get("batch")));
        if (a.containsKey("budget")) cb.batchTokenBudget(Integer.parseInt(a.get("budget")));
        if (a.containsKey("fuse")) cb.fuseGraph(Boolean.parseBoolean(a.get("fuse")));
        OnnxEmbeddingConfig config = cb.build();

        BertTokenizer tokenizer;
        try (InputStream in = LocalEmbeddingBench.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            tokenizer = BertTokenizer.fromJson(in, "all-minilm-l6-v2-tokenizer.json");
        }
        List<String> speeches = BenchCorpus.speeches(data);
        List<String> texts = corpus.equals("sentences")
                ? BenchCorpus.sentences(speeches, count, 2026)
                : BenchCorpus.chunks(speeches, count, 256, tokenizer);
        long[] tokens = new long[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            tokens[i] = tokenizer.encode(texts.get(i)).length + 2L;
        }
        double load1 = loadAverage();
        try (Engine engine = Engine.create(engineName, model, config, Path.of("target/bench-work"))) {
            engine.embedAll(texts.subList(texts.size() - Math.min(warmup, texts.size()), texts.size()));
            double[] textsPerSecond = new double[slices];
            double[] tokensPerSecond = new double[slices];
            List<float[]> all = new ArrayList<>(texts.size());
            long totalNanos = 0;
            for (int s = 0; s < slices; s++) {
                int from = s * texts.size() / slices;
                int to = (s + 1) * texts.size() / slices;
                List<String> slice = texts.subList(from, to);
                long t0 = System.nanoTime();
                all.addAll(engine.embedAll(slice));
                long nanos = System.nanoTime() - t0;
                totalNanos += nanos;
                long sliceTokens = Arrays.stream(tokens, from, to).sum();
                textsPerSecond[s] = slice.size() / (nanos / 1e9);
                tokensPerSecond[s] = sliceTokens / (nanos / 1e9);
            }
            double load2 = loadAverage();
            Arrays.sort(textsPerSecond);
            Arrays.sort(tokensPerSecond);
            long totalTokens = Arrays.stream(tokens).sum();
            System.out.printf(Locale.ROOT,
                    "RESULT engine=%s model=%s corpus=%s texts=%d tokens=%d config=%s | texts/s median %.1f (min %.1f, max %.1f) | "
                            + "tokens/s median %.0f (min %.0f, max %.0f) | total %.1f s | peak RSS %d MB | load %.2f -> %.2f%n",
                    engineName, model, corpus, texts.size(), totalTokens,
                    engineName.equals("ours") ? config.threads() + "x" + config.intraOpThreads() + ",batch" + config.maxBatchSize()
                            + ",budget" + config.batchTokenBudget() + (config.fuseGraph() ? ",fused" : ",unfused") : "default",
                    median(textsPerSecond), textsPerSecond[0], textsPerSecond[slices - 1],
                    median(tokensPerSecond), tokensPerSecond[0], tokensPerSecond[slices - 1],
                    totalNanos / 1e9, peakRssMb(), load1, load2);
            if (a.containsKey("save-vectors") && corpus.equals("chunks")) {
                Path dir = Path.of(a.get("save-vectors"));
                Files.createDirectories(dir);
                List<String> queries = Recall.queries(texts);
                write(dir.resolve("chunks-" + engineName + "-" + model + ".bin"), all);
                write(dir.resolve("queries-" + engineName + "-" + model + ".bin"), engine.embedAll(queries));
            }
        }
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmHWM: the peak resident set size of this process. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // not Linux: no figure
        }
        return -1;
    }

    static void write(Path file, List<float[]> vectors) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(vectors.size());
            out.writeInt(vectors.get(0).length);
            for (float[] v : vectors) {
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
        }
    }

    static float[][] read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            int d = in.readInt();
            float[][] out = new float[n][d];
            for (float[] v : out) {
                for (int i = 0; i < d; i++) {
                    v[i] = in.readFloat();
                }
            }
            return out;
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true";
            m.put(key, value);
        }
        return m;
    }
}
