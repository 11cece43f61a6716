package dev.parallelrag.bench.embed;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.GraphProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.ModelProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.NodeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.OperatorSetIdProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.TensorProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The int8 and fp32 matrix-multiply roofline of this CPU as ONNX Runtime reaches it: a one-node graph
 * ({@code MatMulInteger} with uint8 activations and constant int8 weights, the u8s8 kernels MLAS dispatches to
 * AVX-512 VNNI or AMX; and fp32 {@code MatMul}, MLAS's SGEMM) built here in code at the shapes the bundled models
 * run for one ~256-token chunk, timed through the same Java API and session options our embedder uses. NumPy cannot
 * stand in for the int8 side: its integer matmul does not use VNNI. {@code --parallel P} runs P single-threaded
 * sessions at once, the layout our embedder uses (one micro-batch per core); ops/s are summed over them.
 *
 * <pre>java -cp parallelrag-bench/target/benchmarks.jar dev.parallelrag.bench.embed.GemmProbe [--tokens 258] [--parallel 1] [--seconds 2]</pre>
 */
public final class GemmProbe {

    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int FLOAT = 1;
    private static final int INT32 = 6;

    private GemmProbe() {
    }

    /** What is multiplied: int8 without weight zero points, int8 with one (zero) per column as the bundled exports store them, fp32. */
    private enum Kind {
        INT8("int8"), INT8_COLUMN_ZERO_POINTS("int8+column-zp"), FP32("fp32");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean int8() {
            return this != FP32;
        }
    }

    public static void main(String[] args) throws Exception {
        int tokens = 258;
        int parallel = 1;
        double seconds = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--tokens" -> tokens = Integer.parseInt(args[i + 1]);
                case "--parallel" -> parallel = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "# GEMM probe: ONNX Runtime %s, %d session(s) of 1 thread at once, load %s%n",
                OrtEnvironment.getEnvironment().getVersion(), parallel, loadAverage());
        int[][] shapes = {{tokens, 384, 384}, {tokens, 384, 1536}, {tokens, 1536, 384}, {1024, 1024, 1024}};
        for (Kind kind : Kind.values()) {
            for (int[] s : shapes) {
                double[] gops = measure(kind, s[0], s[1], s[2], parallel, seconds);
                System.out.printf(Locale.ROOT, "RESULT %s M=%d K=%d N=%d median %.1f GOPS, best %.1f GOPS%n", kind.label,
                        s[0], s[1], s[2], gops[0], gops[1]);
            }
        }
    }

    /**
     * Sums the rates of {@code parallel} sessions each multiplying as often as it can for {@code seconds}: the median
     * call's and the fastest call's (on a loaded machine the fastest is the one least interrupted, the closer to what
     * the hardware does).
     */
    private static double[] measure(Kind kind, int m, int k, int n, int parallel, double seconds) throws Exception {
        byte[] model = model(kind, k, n);
        boolean int8 = kind.int8();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<double[]>> runs = new ArrayList<>();
            for (int p = 0; p < parallel; p++) {
                runs.add(pool.submit(() -> run(model, int8, m, k, n, seconds)));
            }
            double[] sum = new double[2];
            for (Future<double[]> f : runs) {
                double[] r = f.get();
                sum[0] += r[0];
                sum[1] += r[1];
            }
            return sum;
        } finally {
            pool.shutdown();
        }
    }

    /** One single-threaded session: the median and the fastest call's rate in giga-operations (2 per multiply-add) per second. */
    private static double[] run(byte[] model, boolean int8, int m, int k, int n, double seconds) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Random random = new Random(1);
        try (OrtSession.SessionOptions options = OnnxEmbeddingConfig.builder().threads(1).build().sessionOptions();
             OrtSession session = env.createSession(model, options)) {
            OnnxTensor input;
            if (int8) {
                byte[] a = new byte[m * k];
                random.nextBytes(a);
                input = OnnxTensor.createTensor(env, ByteBuffer.wrap(a), new long[] {m, k}, OnnxJavaType.UINT8);
            } else {
                float[] a = new float[m * k];
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextFloat();
                }
                input = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {m, k});
            }
            try (input) {
                for (int i = 0; i < 5; i++) {
                    session.run(Map.of("A", input)).close();
                }
                List<Long> times = new ArrayList<>();
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (System.nanoTime() < end || times.size() < 10) {
                    long t0 = System.nanoTime();
                    session.run(Map.of("A", input)).close();
                    times.add(System.nanoTime() - t0);
                }
                long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
                double ops = 2.0 * m * k * n;
                return new double[] {ops / sorted[sorted.length / 2], ops / sorted[0]};
            }
        }
    }

    /** Y = A x B, B a constant [k, n] initializer (ONNX Runtime pre-packs it, as it does the models' weights). */
    private static byte[] model(Kind kind, int k, int n) {
        boolean int8 = kind.int8();
        Random random = new Random(2);
        TensorProto.Builder b = TensorProto.newBuilder().setName("B").addDims(k).addDims(n);
        if (int8) {
            byte[] w = new byte[k * n];
            random.nextBytes(w);
            b.setDataType(INT8).setRawData(ByteString.copyFrom(w));
        } else {
            ByteBuffer w = ByteBuffer.allocate(k * n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < k * n; i++) {
                w.putFloat(random.nextFloat() - 0.5f);
            }
            b.setDataType(FLOAT).setRawData(ByteString.copyFrom(w.array()));
        }
        NodeProto.Builder gemm = NodeProto.newBuilder().setName("gemm").setOpType(int8 ? "MatMulInteger" : "MatMul").addInput("A")
                .addInput("B").addOutput("Y");
        GraphProto.Builder graph = GraphProto.newBuilder().setName("gemm-probe").addInitializer(b);
        if (kind == Kind.INT8_COLUMN_ZERO_POINTS) {
            gemm.addInput("").addInput("B_zero_point");
            graph.addInitializer(TensorProto.newBuilder().setName("B_zero_point").setDataType(INT8).addDims(n)
                    .setRawData(ByteString.copyFrom(new byte[n])));
        }
        graph.addNode(gemm)
                .addInput(typed("A", int8 ? UINT8 : FLOAT, -1, k))
                .addOutput(typed("Y", int8 ? INT32 : FLOAT, -1, n));
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph).build().toByteArray();
    }

    /**
     * A graph input or output with its tensor type. The schema the graph fusions use leaves ValueInfoProto's type
     * out, so it is written as the unknown field ONNX defines (type = 2: TypeProto.tensor_type = 1 {elem_type = 1,
     * shape = 2 {dim = 1 {dim_value = 1 | dim_param = 2}}}); a negative size is a symbolic dimension.
     */
    private static ValueInfoProto typed(String name, int elementType, long... dims) {
        UnknownFieldSet.Builder shape = UnknownFieldSet.newBuilder();
        UnknownFieldSet.Field.Builder dimList = UnknownFieldSet.Field.newBuilder();
        for (long d : dims) {
            UnknownFieldSet dim = d >= 0
                    ? UnknownFieldSet.newBuilder().addField(1, UnknownFieldSet.Field.newBuilder().addVarint(d).build()).build()
                    : UnknownFieldSet.newBuilder().addField(2, UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("rows")).build()).build();
            dimList.addLengthDelimited(dim.toByteString());
        }
        shape.addField(1, dimList.build());
        UnknownFieldSet tensor = UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(elementType).build())
                .addField(2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(shape.build().toByteString()).build())
                .build();
        UnknownFieldSet type = UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(tensor.toByteString()).build()).build();
        return ValueInfoProto.newBuilder().setName(name).setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(type.toByteString()).build()).build()).build();
    }

    /** The 1, 5 and 15 minute load averages, to print beside the figures. */
    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
