package dev.parallelrag.onnx.graph;

import dev.parallelrag.onnx.graph.proto.OnnxModelProto.AttributeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.GraphProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.NodeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.TensorProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A graph being rewritten: its nodes with who produces and who consumes each tensor, its initializers and
 * constants. Fusions add nodes that take over an existing output name; {@link #toProto} then drops what
 * nothing needs any more and puts the nodes back in topological order.
 */
final class ModelGraph {

    static final int FLOAT = 1;
    static final int INT8 = 3;
    static final int INT32 = 6;
    static final int INT64 = 7;

    private final GraphProto original;
    private final List<NodeProto> nodes;
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Set<String> graphInputs = new HashSet<>();
    private final Set<String> names = new HashSet<>();
    private Map<String, NodeProto> producers = new HashMap<>();
    private Map<String, List<NodeProto>> consumers = new HashMap<>();

    ModelGraph(GraphProto graph) {
        this.original = graph;
        this.nodes = new ArrayList<>(graph.getNodeList());
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (ValueInfoProto v : graph.getInputList()) {
            graphInputs.add(v.getName());
        }
        names.addAll(initializers.keySet());
        names.addAll(graphInputs);
        for (NodeProto n : nodes) {
            names.addAll(n.getOutputList());
            names.add(n.getName());
        }
        index();
    }

    private void index() {
        producers = new HashMap<>();
        consumers = new HashMap<>();
        for (NodeProto n : nodes) {
            for (String out : n.getOutputList()) {
                producers.put(out, n);
            }
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
    }

    boolean isGraphInput(String name) {
        return graphInputs.contains(name);
    }

    /** The node of the given (default-domain) type that produces {@code tensor}, if that is what produces it. */
    Optional<NodeProto> producer(String tensor, String opType) {
        NodeProto n = producers.get(tensor);
        return n != null && n.getOpType().equals(opType) && n.getDomain().isEmpty() ? Optional.of(n) : Optional.empty();
    }

    List<NodeProto> consumers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    /** The tensor's value when it is an initializer or the output of a Constant node. */
    Optional<TensorProto> constant(String name) {
        TensorProto init = initializers.get(name);
        if (init != null) {
            return Optional.of(init);
        }
        return producer(name, "Constant").flatMap(n -> n.getAttributeList().stream()
                .filter(a -> a.getName().equals("value") && a.hasT()).map(AttributeProto::getT).findFirst());
    }

    /** An initializer (never a Constant node output): weights and biases the fusions may repack. */
    Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    Optional<Float> floatScalar(String name) {
        return constant(name).filter(t -> t.getDataType() == FLOAT && elementCount(t) == 1).map(t -> floats(t)[0]);
    }

    static long elementCount(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    static float[] floats(TensorProto t) {
        if (t.getDataType() != FLOAT) {
            throw new IllegalArgumentException(t.getName() + " is not a float tensor");
        }
        if (t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[raw.remaining() / Float.BYTES];
            raw.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    /** An integer tensor's values; empty for any other type, which no pattern here accepts. */
    static long[] longs(TensorProto t) {
        if (t.getDataType() == INT64 && t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[raw.remaining() / Long.BYTES];
            raw.asLongBuffer().get(out);
            return out;
        }
        if (t.getDataType() == INT64) {
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        if (t.getDataType() == INT32 && t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int[] out = new int[raw.remaining() / Integer.BYTES];
            raw.asIntBuffer().get(out);
            return Arrays.stream(out).asLongStream().toArray();
        }
        if (t.getDataType() == INT32) {
            return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
        }
        return new long[0];
    }

    /** An int8 tensor's values; the quantizers store them as raw bytes or widened in {@code int32_data}. */
    static byte[] int8s(TensorProto t) {
        if (t.getDataType() != INT8) {
            throw new IllegalArgumentException(t.getName() + " is not an int8 tensor");
        }
        if (t.hasRawData()) {
            return t.getRawData().toByteArray();
        }
        byte[] out = new byte[t.getInt32DataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) t.getInt32Data(i);
        }
        return out;
    }

    static TensorProto int8Tensor(String name, byte[] values, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(INT8).setRawData(ByteString.copyFrom(values));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    static TensorProto floatTensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    static Optional<AttributeProto> attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    /** A name no tensor or node in the graph has yet. */
    String freshName(String base) {
        String name = base;
        for (int i = 1; names.contains(name); i++) {
            name = base + "_" + i;
        }
        names.add(name);
        return name;
    }

    void addInitializer(TensorProto tensor) {
        initializers.put(tensor.getName(), tensor);
    }

    /**
     * Puts {@code node} in place of whatever produced its outputs. The old producers stay until
     * {@link #toProto} finds that nothing needs them.
     */
    void replaceProducers(NodeProto node) {
        for (String out : node.getOutputList()) {
            NodeProto old = producers.get(out);
            if (old != null) {
                nodes.remove(old);
            }
        }
        nodes.add(node);
        index();
    }

    /**
     * The rewritten graph: only nodes the graph outputs depend on, in topological order (original order
     * where there is a choice), and only the initializers those nodes read.
     */
    GraphProto toProto() {
        List<NodeProto> ordered = new ArrayList<>();
        Map<NodeProto, Boolean> visited = new IdentityHashMap<>();
        for (ValueInfoProto out : original.getOutputList()) {
            visit(producers.get(out.getName()), visited, ordered);
        }
        Set<String> used = new HashSet<>();
        ordered.forEach(n -> used.addAll(n.getInputList()));
        GraphProto.Builder b = original.toBuilder().clearNode().clearInitializer().clearValueInfo().addAllNode(ordered);
        for (TensorProto t : initializers.values()) {
            if (used.contains(t.getName()) || graphInputs.contains(t.getName())) {
                b.addInitializer(t);
            }
        }
        return b.build();
    }

    private void visit(NodeProto node, Map<NodeProto, Boolean> visited, List<NodeProto> ordered) {
        // iterative depth-first post-order: a deep graph must not overflow the Java stack
        if (node == null || visited.containsKey(node)) {
            return;
        }
        record Frame(NodeProto node, int nextInput) {
        }
        ArrayList<Frame> stack = new ArrayList<>();
        stack.add(new Frame(node, 0));
        visited.put(node, Boolean.FALSE);
        while (!stack.isEmpty()) {
            Frame top = stack.removeLast();
            if (top.nextInput() < top.node().getInputCount()) {
                stack.add(new Frame(top.node(), top.nextInput() + 1));
                NodeProto dep = producers.get(top.node().getInput(top.nextInput()));
                if (dep != null && !visited.containsKey(dep)) {
                    visited.put(dep, Boolean.FALSE);
                    stack.add(new Frame(dep, 0));
                }
            } else {
                visited.put(top.node(), Boolean.TRUE);
                ordered.add(top.node());
            }
        }
    }
}
