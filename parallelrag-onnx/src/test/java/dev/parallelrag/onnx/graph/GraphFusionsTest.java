package dev.parallelrag.onnx.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.GraphProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.ModelProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.NodeProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load-time fusions on the real model files: what they fuse, and that the fused graph computes the same. */
class GraphFusionsTest {

    private static byte[] full;
    private static byte[] quantized;
    private static byte[] bge;
    private static byte[] bgeQuantized;

    @BeforeAll
    static void load() throws IOException {
        full = resource("/all-minilm-l6-v2.onnx");
        quantized = resource("/all-minilm-l6-v2-q.onnx");
        bge = resource("/bge-small-en-v1.5.onnx");
        bgeQuantized = resource("/bge-small-en-v1.5-q.onnx");
    }

    @Test
    void fusesEveryAttentionBlockAndResidualLayerNormOfBgeAndComputesTheSame() throws Exception {
        GraphFusions.FusedModel result = fuse(bge);

        assertThat(result.attention()).as("bge-small-en-v1.5 has 12 layers").isEqualTo(12);
        assertThat(result.skipLayerNorm()).isEqualTo(24);
        byte[] bytes = result.toByteArray();
        assertThat(ModelProto.parseFrom(bytes).getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .doesNotContain("Softmax").filteredOn(op -> op.equals("Attention")).hasSize(12);
        assertSameOutputs(bge, bytes, 5e-5f);
    }

    @Test
    void fusesEveryQuantizedAttentionBlockOfBgeIntoQAttentionAndComputesTheSame() throws Exception {
        GraphFusions.FusedModel result = fuse(bgeQuantized);

        assertThat(result.attention()).isEqualTo(12);
        byte[] bytes = result.toByteArray();
        assertThat(ModelProto.parseFrom(bytes).getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .doesNotContain("Softmax").filteredOn(op -> op.equals("QAttention")).hasSize(12);
        assertSameOutputs(bgeQuantized, bytes, 5e-5f);
    }

    @Test
    void fusesEveryAttentionBlockAndResidualLayerNormOfTheFullModel() throws Exception {
        GraphFusions.FusedModel result = fuse(full);

        assertThat(result.attention()).isEqualTo(6);
        assertThat(result.skipLayerNorm()).isEqualTo(12);
        byte[] bytes = result.toByteArray();
        ModelProto fused = ModelProto.parseFrom(bytes);
        assertThat(fused.getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .doesNotContain("Softmax", "Transpose")
                .filteredOn(op -> op.equals("Attention")).hasSize(6);
        // the separate Q, K and V weights are gone, packed into one per layer: the model does not grow
        assertThat(bytes.length).isLessThan(full.length);
    }

    @Test
    void fusedFullModelGivesTheSameTokenVectorsOnAPaddedBatch() throws Exception {
        GraphFusions.FusedModel result = fuse(full);

        assertSameOutputs(full, result.toByteArray(), 5e-5f);
    }

    @Test
    void fusesEveryQuantizedAttentionBlockIntoQAttentionAndComputesTheSame() throws Exception {
        GraphFusions.FusedModel result = fuse(quantized);

        assertThat(result.attention()).isEqualTo(6);
        byte[] bytes = result.toByteArray();
        ModelProto fused = ModelProto.parseFrom(bytes);
        // the int8 Q, K and V projections and the fp32 attention between them are one QAttention per layer
        assertThat(fused.getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .doesNotContain("Softmax", "Transpose")
                .filteredOn(op -> op.equals("QAttention")).hasSize(6);
        assertThat(fused.getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .filteredOn(op -> op.equals("MatMulInteger")).as("the attention output and feed-forward projections stay").hasSize(18);
        assertSameOutputs(quantized, bytes, 5e-5f);
    }

    @Test
    void aQuantizedBlockWhoseScoresAreNotScaledByOneOverRootHeadSizeIsLeftAsItIs() throws Exception {
        // QAttention always scales by 1/sqrt(head size): a block that divides by anything else must not fuse
        ModelProto original = ModelProto.parseFrom(quantized);
        GraphProto.Builder graph = original.getGraph().toBuilder();
        String divisor = graph.getNodeList().stream().filter(n -> n.getOpType().equals("Div") && n.getName().contains("layer.0/attention"))
                .findFirst().orElseThrow().getInput(1);
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            if (n.getOpType().equals("Constant") && n.getOutput(0).equals(divisor)) {
                graph.setNode(i, n.toBuilder().setAttribute(0, n.getAttribute(0).toBuilder()
                        .setT(n.getAttribute(0).getT().toBuilder().clearRawData().clearFloatData().addFloatData(7f))).build());
            }
        }
        GraphFusions.FusedModel result = fuse(original.toBuilder().setGraph(graph).build().toByteArray());

        assertThat(result.attention()).as("the five other layers still fuse").isEqualTo(5);
    }

    @Test
    void aFusedGraphHasNothingLeftToFuse() throws Exception {
        byte[] fusedOnce = fuse(full).toByteArray();

        GraphFusions.FusedModel again = fuse(fusedOnce);

        assertThat(again.changed()).isFalse();
        assertThat(again.toByteArray()).isEqualTo(fusedOnce);
    }

    @Test
    void whatTheFusionsWriteForTheBundledModelsIsPinnedToTheFusionVersion() throws Exception {
        // the model cache keys fused models by GraphFusions.VERSION: a change to what the fusions write must come
        // with a new version, or a process would load a graph an older version cached
        String bump = "the fused output changed: increment GraphFusions.VERSION, then pin the new version and hashes here";

        assertThat(GraphFusions.VERSION).as(bump).isEqualTo(2);
        assertThat(sha256(fuse(full).toByteArray())).as(bump)
                .isEqualTo("7d5be96dfc9c5442280160d79ba94e77beb35ecdd97efdb6e50434700f3fc70d");
        assertThat(sha256(fuse(quantized).toByteArray())).as(bump)
                .isEqualTo("205bba032125ffab7c318fa00a65276b1c19f7cf1abc6be7a3673c0db5e6b662");
        assertThat(sha256(fuse(bge).toByteArray())).as(bump).isEqualTo("b4a34df6d42d61a33a1662a39722a237fe06fd43622975d85b57a4376b88e9a6");
        assertThat(sha256(fuse(bgeQuantized).toByteArray())).as(bump).isEqualTo("df8ffe2e5652dbc53a22757998985f919820df65120254eb05556cf3bcea2b01");
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void bytesThatAreNotAModelAreRejected() {
        assertThatThrownBy(() -> fuse(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    /** Runs both models on three sequences of different lengths (so two are padded) and compares every real token's vector. */
    private static void assertSameOutputs(byte[] original, byte[] fused, float tolerance) throws OrtException {
        int[] lengths = {37, 128, 9};
        int width = 128;
        long[] ids = new long[lengths.length * width];
        long[] mask = new long[ids.length];
        Random random = new Random(7);
        for (int r = 0; r < lengths.length; r++) {
            for (int t = 0; t < lengths[r]; t++) {
                ids[r * width + t] = t == 0 ? 101 : t == lengths[r] - 1 ? 102 : 1_000 + random.nextInt(25_000);
                mask[r * width + t] = 1;
            }
        }
        float[] a = run(original, ids, mask, lengths.length, width);
        float[] b = run(fused, ids, mask, lengths.length, width);
        int hidden = a.length / ids.length;
        float worst = 0;
        for (int r = 0; r < lengths.length; r++) {
            for (int t = 0; t < lengths[r]; t++) {
                int base = (r * width + t) * hidden;
                for (int d = 0; d < hidden; d++) {
                    worst = Math.max(worst, Math.abs(a[base + d] - b[base + d]));
                }
            }
        }
        assertThat(worst).isLessThanOrEqualTo(tolerance);
    }

    private static float[] run(byte[] model, long[] ids, long[] mask, int rows, int width) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {rows, width};
        try (OrtSession.SessionOptions options = OnnxEmbeddingConfig.builder().threads(1).build().sessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor inputIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", attention, "token_type_ids", types))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }

    private static GraphFusions.FusedModel fuse(byte[] model) throws IOException {
        return GraphFusions.fuse(new ByteArrayInputStream(model));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GraphFusionsTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
