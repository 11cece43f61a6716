package dev.parallelrag.onnx.graph;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.ModelProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.NodeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.OperatorSetIdProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Load-time rewrites of a transformer encoder's ONNX graph into ONNX Runtime's fused CPU kernels (attention,
 * skip + layer norm), for the exports whose patterns ONNX Runtime's own optimizer does not catch. The model's
 * weights and arithmetic stay the same: the fused graph's outputs equal the original's to float rounding.
 * A graph with nothing to fuse, or whose weights live in external files, is left as it is.
 */
public final class GraphFusions {

    /**
     * Version of what {@link #fuse} writes. Cached fused models are keyed by it (see
     * {@code OnnxEmbeddingConfig.modelCacheDirectory}), so bump it whenever a fusion changes its output, and a new
     * version never loads a graph an old one wrote. {@code GraphFusionsTest} pins the fused bundled models to it.
     */
    public static final int VERSION = 2;

    static final String MICROSOFT = "com.microsoft";

    private GraphFusions() {
    }

    /** The rewritten model, and how many attention blocks and layer norms were fused. */
    public static final class FusedModel {
        private final ModelProto model;
        private final int attention;
        private final int skipLayerNorm;

        private FusedModel(ModelProto model, int attention, int skipLayerNorm) {
            this.model = model;
            this.attention = attention;
            this.skipLayerNorm = skipLayerNorm;
        }

        public int attention() {
            return attention;
        }

        public int skipLayerNorm() {
            return skipLayerNorm;
        }

        /** False when nothing was fused: load the original model as it is. */
        public boolean changed() {
            return attention + skipLayerNorm > 0;
        }

        public void writeTo(OutputStream out) throws IOException {
            model.writeTo(out);
        }

        public byte[] toByteArray() {
            return model.toByteArray();
        }

        @Override
        public String toString() {
            return "fused " + attention + " attention blocks and " + skipLayerNorm + " layer norms";
        }
    }

    /**
     * Reads a serialized ONNX model and fuses what it can.
     *
     * @throws InvalidProtocolBufferException if the bytes are not an ONNX model
     */
    public static FusedModel fuse(InputStream serialized) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(serialized);
        in.setSizeLimit(Integer.MAX_VALUE);
        ModelProto proto = ModelProto.parser().parseFrom(in);
        if (!proto.hasGraph() || hasExternalData(proto)) {
            return new FusedModel(proto, 0, 0);
        }
        ModelGraph graph = new ModelGraph(proto.getGraph());
        List<NodeProto> nodes = proto.getGraph().getNodeList();
        int attention = new AttentionFusion(graph).apply(ofType(nodes, "Softmax"));
        int skipLayerNorm = new SkipLayerNormFusion(graph).apply(ofType(nodes, "Add"));
        if (attention + skipLayerNorm == 0) {
            return new FusedModel(proto, 0, 0);
        }
        ModelProto.Builder fused = proto.toBuilder().setGraph(graph.toProto());
        if (fused.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(MICROSOFT))) {
            fused.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1));
        }
        return new FusedModel(fused.build(), attention, skipLayerNorm);
    }

    /**
     * Weights stored in files next to the model (models over 2 GB) are paths relative to the model file;
     * a rewritten copy loaded from elsewhere would lose them, so such models are not touched.
     */
    private static boolean hasExternalData(ModelProto proto) {
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            boolean inline = t.hasRawData() || t.getFloatDataCount() > 0 || t.getInt32DataCount() > 0 || t.getInt64DataCount() > 0;
            if (!inline && ModelGraph.elementCount(t) > 0) {
                return true;
            }
        }
        return false;
    }

    private static List<NodeProto> ofType(List<NodeProto> nodes, String opType) {
        return nodes.stream().filter(n -> n.getOpType().equals(opType) && n.getDomain().isEmpty()).toList();
    }
}
