package dev.parallelrag.bench.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.graph.GraphFusions;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Where one inference spends its time, by operator: runs a bundled model on one thread with the session
 * options our embedder uses, on a sequence of the given length, with ONNX Runtime's profiler on, and
 * prints each operator type's share of the kernel time. It shows how much of a forward pass is matrix
 * multiplication (bounded by the GEMM roofline) and how much is everything else.
 *
 * <p>By default the graph is fused as our embedder loads it ({@link GraphFusions}); {@code exported} profiles
 * the file as it is, which is also what LangChain4j runs. It also prints the graph's operator types as exported
 * and as ONNX Runtime runs them after its own optimizer (which is where a quantized graph's
 * DynamicQuantizeLinear + MatMulInteger chains become fused int8 operators), with the element types of the
 * int8 matrix multiplications' weights (signed weights take MLAS's u8s8 kernels: AVX-512 VNNI or AMX).
 *
 * <pre>java -cp parallelrag-bench/target/benchmarks.jar dev.parallelrag.bench.embed.OperatorProfile [TOKENS] [RUNS] [fused|exported] [MODEL] [THREADS]</pre>
 */
public final class OperatorProfile {

    private OperatorProfile() {
    }

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 258;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean fused = args.length <= 2 || !args[2].equals("exported");
        String modelName = args.length > 3 ? args[3] : "all-minilm-l6-v2";
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        byte[] model;
        try (InputStream in = OperatorProfile.class.getResourceAsStream("/" + modelName + ".onnx")) {
            if (in == null) {
                throw new IllegalArgumentException("no model " + modelName + ".onnx on the classpath");
            }
            model = in.readAllBytes();
        }
        System.out.println("# exported graph: " + opTypes(model));
        if (fused) {
            GraphFusions.FusedModel result = GraphFusions.fuse(new ByteArrayInputStream(model));
            System.out.println("# our fusions: " + result);
            model = result.toByteArray();
        }
        Path dir = Files.createTempDirectory("ort-profile");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = OnnxEmbeddingConfig.builder().threads(threads).intraOpThreads(threads).build()
                .sessionOptions()) {
            Path optimized = dir.resolve("optimized.onnx");
            options.setOptimizedModelFilePath(optimized.toString());
            options.enableProfiling(dir.resolve("profile").toString());
            SyntheticSequence sequence = SyntheticSequence.of(tokens);
            try (OrtSession session = env.createSession(model, options)) {
                System.out.println("# as ONNX Runtime runs it: " + opTypes(Files.readAllBytes(optimized)));
                long t0 = 0;
                for (int run = -10; run < runs; run++) { // 10 untimed warm-up runs
                    if (run == 0) {
                        t0 = System.nanoTime();
                    }
                    sequence.run(env, session);
                }
                double msPerRun = (System.nanoTime() - t0) / 1e6 / runs;
                String file = session.endProfiling();
                report(Path.of(file), tokens, runs, threads, msPerRun, fused ? "fused" : "exported");
            }
            Files.deleteIfExists(optimized);
        }
    }

    /** Operator types and how often each occurs, plus the weight element types of the int8 matrix multiplications. */
    private static String opTypes(byte[] serialized) throws Exception {
        OnnxModelProto.GraphProto graph = OnnxModelProto.ModelProto.parseFrom(serialized).getGraph();
        Map<String, Integer> dataTypes = new HashMap<>();
        graph.getInitializerList().forEach(t -> dataTypes.put(t.getName(), t.getDataType()));
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> weightTypes = new TreeMap<>();
        for (OnnxModelProto.NodeProto node : graph.getNodeList()) {
            counts.merge(node.getOpType(), 1, Integer::sum);
            if (node.getOpType().contains("MatMulInteger") || node.getOpType().equals("DynamicQuantizeMatMul")
                    || node.getOpType().equals("QLinearMatMul")) {
                int b = node.getOpType().equals("QLinearMatMul") ? 3 : 1;
                Integer type = node.getInputCount() > b ? dataTypes.get(node.getInput(b)) : null;
                // ONNX TensorProto element types: 2 = uint8, 3 = int8
                weightTypes.merge(node.getOpType() + " weights " + (type == null ? "computed" : type == 3 ? "int8" : type == 2 ? "uint8"
                        : "type " + type), 1, Integer::sum);
            }
        }
        return counts + (weightTypes.isEmpty() ? "" : " " + weightTypes);
    }

    private static void report(Path file, int tokens, int runs, int threads, double msPerRun, String graph) throws Exception {
        Map<String, Long> micros = new HashMap<>();
        long total = 0;
        for (JsonNode event : new ObjectMapper().readTree(file.toFile())) {
            if ("Node".equals(event.path("cat").asText()) && event.path("name").asText().endsWith("_kernel_time")) {
                long dur = event.path("dur").asLong();
                micros.merge(event.path("args").path("op_name").asText(), dur, Long::sum);
                total += dur;
            }
        }
        System.out.printf(Locale.ROOT, "# %s graph, %d tokens, %d thread(s), %.1f ms per forward pass (%.1f per second), %d runs incl. warm-up profiled%n",
                graph, tokens, threads, msPerRun, 1000 / msPerRun, runs + 10);
        long sum = total;
        micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> System.out.printf(Locale.ROOT, "%-22s %5.1f %%%n", e.getKey(), 100.0 * e.getValue() / sum));
        long gemm = micros.entrySet().stream().filter(e -> GEMM.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        System.out.printf(Locale.ROOT, "# matrix multiplication (%s): %.1f %% of kernel time%n", String.join(", ", GEMM), 100.0 * gemm / total);
        Files.deleteIfExists(file);
    }

    /** The operator types that are matrix multiplications, fp32 and int8 (the fused int8 ones quantize their input too). */
    private static final List<String> GEMM = List.of("MatMul", "FusedMatMul", "Gemm", "MatMulInteger", "MatMulIntegerToFloat",
            "DynamicQuantizeMatMul", "QLinearMatMul", "QGemm");
}
