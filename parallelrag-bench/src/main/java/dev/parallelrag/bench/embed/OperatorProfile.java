package dev.parallelrag.bench.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.graph.GraphFusions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Locale;

/**
 * Where one inference spends its time, by operator: runs all-MiniLM-L6-v2 on one thread with the session
 * options our embedder uses, on a sequence of the given length, with ONNX Runtime's profiler on, and
 * prints each operator type's share of the kernel time. It shows how much of a forward pass is matrix
 * multiplication (bounded by the GEMM roofline) and how much is everything else.
 *
 * <p>By default the graph is fused as our embedder loads it ({@link GraphFusions}); {@code exported} profiles
 * the file as it is, which is also what LangChain4j runs.
 *
 * <pre>java -cp parallelrag-bench/target/benchmarks.jar dev.parallelrag.bench.embed.OperatorProfile [TOKENS] [RUNS] [fused|exported]</pre>
 */
public final class OperatorProfile {

    private OperatorProfile() {
    }

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 258;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean fused = args.length <= 2 || !args[2].equals("exported");
        byte[] model;
        try (InputStream in = OperatorProfile.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            model = in.readAllBytes();
        }
        if (fused) {
            model = GraphFusions.fuse(new ByteArrayInputStream(model)).toByteArray();
        }
        Path dir = Files.createTempDirectory("ort-profile");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = OnnxEmbeddingConfig.builder().threads(1).build().sessionOptions()) {
            options.enableProfiling(dir.resolve("profile").toString());
            SyntheticSequence sequence = SyntheticSequence.of(tokens);
            try (OrtSession session = env.createSession(model, options)) {
                long t0 = 0;
                for (int run = -10; run < runs; run++) { // 10 untimed warm-up runs
                    if (run == 0) {
                        t0 = System.nanoTime();
                    }
                    sequence.run(env, session);
                }
                double msPerRun = (System.nanoTime() - t0) / 1e6 / runs;
                String file = session.endProfiling();
                report(Path.of(file), tokens, runs, msPerRun, fused ? "fused" : "exported");
            }
        }
    }

    private static void report(Path file, int tokens, int runs, double msPerRun, String graph) throws Exception {
        Map<String, Long> micros = new HashMap<>();
        long total = 0;
        for (JsonNode event : new ObjectMapper().readTree(file.toFile())) {
            if ("Node".equals(event.path("cat").asText()) && event.path("name").asText().endsWith("_kernel_time")) {
                long dur = event.path("dur").asLong();
                micros.merge(event.path("args").path("op_name").asText(), dur, Long::sum);
                total += dur;
            }
        }
        System.out.printf(Locale.ROOT, "# %s graph, %d tokens, 1 thread, %.1f ms per forward pass (%.1f per second), %d runs incl. warm-up profiled%n",
                graph, tokens, msPerRun, 1000 / msPerRun, runs + 10);
        long sum = total;
        micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> System.out.printf(Locale.ROOT, "%-22s %5.1f %%%n", e.getKey(), 100.0 * e.getValue() / sum));
        long gemm = micros.getOrDefault("MatMul", 0L) + micros.getOrDefault("FusedMatMul", 0L) + micros.getOrDefault("Gemm", 0L);
        System.out.printf(Locale.ROOT, "# matrix multiplication (MatMul, FusedMatMul, Gemm): %.1f %% of kernel time%n", 100.0 * gemm / total);
        Files.deleteIfExists(file);
    }
}
