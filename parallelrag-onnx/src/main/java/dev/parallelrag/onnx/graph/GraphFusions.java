package dev.parallelrag.onnx.graph;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.ModelProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.NodeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.OperatorSetIdProto;
import java.util.List;

/**
 * Load-time rewrites of a transformer encoder's ONNX graph into ONNX Runtime's fused CPU kernels (attention,
 * skip + layer norm), for the exports whose patterns ONNX Runtime's own optimizer does not catch. The model's
 * weights and arithmetic stay the same: the fused graph's outputs equal the original's to float rounding.
 * A graph with nothing to fuse comes back unchanged.
 */
public final class GraphFusions {

    static final String MICROSOFT = "com.microsoft";

    private GraphFusions() {
    }

    /** What {@link #fuse} did: the model to load, and how many attention blocks and layer norms it fused. */
    public record Result(byte[] model, int attention, int skipLayerNorm) {

        public boolean changed() {
            return attention + skipLayerNorm > 0;
        }

        @Override
        public String toString() {
            return "fused " + attention + " attention blocks and " + skipLayerNorm + " layer norms";
        }
    }

    /**
     * Fuses what it can in a serialized ONNX model.
     *
     * @throws InvalidProtocolBufferException if the bytes are not an ONNX model
     */
    public static Result fuse(byte[] model) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(model);
        in.enableAliasing(true); // the weights stay views of the caller's bytes, not a second copy
        in.setSizeLimit(Integer.MAX_VALUE);
        ModelProto proto = ModelProto.parser().parseFrom(in);
        if (!proto.hasGraph()) {
            return new Result(model, 0, 0);
        }
        ModelGraph graph = new ModelGraph(proto.getGraph());
        List<NodeProto> nodes = proto.getGraph().getNodeList();
        int attention = new AttentionFusion(graph).apply(ofType(nodes, "Softmax"));
        int skipLayerNorm = new SkipLayerNormFusion(graph).apply(ofType(nodes, "Add"));
        if (attention + skipLayerNorm == 0) {
            return new Result(model, 0, 0);
        }
        ModelProto.Builder fused = proto.toBuilder().setGraph(graph.toProto());
        if (fused.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(MICROSOFT))) {
            fused.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1));
        }
        return new Result(fused.build().toByteArray(), attention, skipLayerNorm);
    }

    private static List<NodeProto> ofType(List<NodeProto> nodes, String opType) {
        return nodes.stream().filter(n -> n.getOpType().equals(opType) && n.getDomain().isEmpty()).toList();
    }
}
