package dev.parallelrag.onnx.graph;

import dev.parallelrag.onnx.graph.proto.OnnxModelProto.AttributeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.NodeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.TensorProto;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Replaces BERT self-attention, as PyTorch exports it, with ONNX Runtime's fused {@code com.microsoft.Attention}
 * kernel: one packed Q/K/V projection with its bias, the scaled dot product, the padding mask and the softmax in
 * one operator, instead of about 30 nodes of projections, bias adds, reshapes, transposes and an explicit mask
 * add. ONNX Runtime's own optimizer does not recognise this export's pattern (its mask is built with
 * {@code torch.finfo.min}), so the full model would otherwise run it node by node.
 *
 * <p>The matched pattern, per layer (X the layer input, each projection {@code Add(bias, MatMul(X, W))}):
 * <pre>
 *   Q = Transpose[0,2,1,3](Reshape(q, [.., .., heads, size]))     K = Transpose[0,2,3,1](Reshape(k, ..))
 *   V = Transpose[0,2,1,3](Reshape(v, ..))
 *   P = Softmax(Add(Div(MatMul(Q, K), c), maskBias))              maskBias from the attention_mask input
 *   out = Reshape(Transpose[0,2,1,3](MatMul(P, V)), ..)
 * </pre>
 * In a dynamically quantized export (ONNX Runtime's {@code quantize_dynamic}, int8 weights with a scale and zero
 * point per output column) each projection is instead
 * {@code Add(bias, Mul(Cast(MatMulInteger(Xq, W, Xzp, Wzp)), Mul(Xscale, Wscale)))}, the three fed by one
 * {@code DynamicQuantizeLinear(X) -> Xq, Xscale, Xzp}; that block becomes {@code com.microsoft.QAttention}, which runs
 * the same int8 projections (the same quantized input, weights, scales and zero points, packed per column) and then
 * the fused fp32 attention. Its scale is fixed at 1/sqrt(head size), so only blocks that divide by exactly that fuse.
 *
 * <p>Anything that does not match exactly is left as it is.
 */
final class AttentionFusion {

    private static final long[] BSNH = {0, 2, 1, 3};
    private static final long[] BNHS = {0, 2, 3, 1};

    private final ModelGraph graph;
    private String maskInt32;

    AttentionFusion(ModelGraph graph) {
        this.graph = graph;
    }

    /** Fuses every attention block that matches; returns how many. */
    int apply(List<NodeProto> softmaxes) {
        int fused = 0;
        for (NodeProto softmax : softmaxes) {
            Optional<Match> match = match(softmax);
            if (match.isPresent()) {
                rewrite(match.get(), fused);
                fused++;
            }
        }
        return fused;
    }

    /**
     * One of Q, K, V: its input, weight, bias and split-heads Reshape; for an int8 projection also its weight's
     * per-column scale and zero point and the input's {@code DynamicQuantizeLinear} scale and zero point (the input is
     * then the quantized tensor).
     */
    private record Projection(String input, TensorProto weight, TensorProto bias, NodeProto reshape, Optional<Quantized> quantized) {
    }

    private record Quantized(String inputScale, String inputZeroPoint, TensorProto weightScale, TensorProto weightZeroPoint) {
    }

    private record Match(Projection q, Projection k, Projection v, float divisor, String mask, long heads, String output) {
    }

    private Optional<Match> match(NodeProto softmax) {
        long axis = ModelGraph.attribute(softmax, "axis").map(AttributeProto::getI).orElse(-1L);
        if (axis != 3 && axis != -1) {
            return Optional.empty();
        }
        Optional<NodeProto> maskAdd = graph.producer(softmax.getInput(0), "Add");
        if (maskAdd.isEmpty()) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            String scores = maskAdd.get().getInput(side);
            String maskBias = maskAdd.get().getInput(1 - side);
            Optional<Match> m = graph.producer(scores, "Div").flatMap(div -> graph.floatScalar(div.getInput(1))
                    .flatMap(divisor -> graph.producer(div.getInput(0), "MatMul")
                            .flatMap(qk -> matchRest(softmax, qk, divisor, maskBias))));
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    private Optional<Match> matchRest(NodeProto softmax, NodeProto qk, float divisor, String maskBias) {
        List<NodeProto> after = graph.consumers(softmax.getOutput(0));
        if (after.size() != 1 || !after.get(0).getOpType().equals("MatMul") || !after.get(0).getInput(0).equals(softmax.getOutput(0))) {
            return Optional.empty();
        }
        NodeProto pv = after.get(0);
        Optional<Projection> q = projection(qk.getInput(0), BSNH);
        Optional<Projection> k = projection(qk.getInput(1), BNHS);
        Optional<Projection> v = projection(pv.getInput(1), BSNH);
        Optional<String> mask = attentionMask(maskBias);
        Optional<String> output = onlyConsumer(pv.getOutput(0), "Transpose").filter(t -> isPerm(t, BSNH))
                .flatMap(t -> onlyConsumer(t.getOutput(0), "Reshape")).map(r -> r.getOutput(0));
        if (q.isEmpty() || k.isEmpty() || v.isEmpty() || mask.isEmpty() || output.isEmpty()) {
            return Optional.empty();
        }
        String x = q.get().input();
        if (!x.equals(k.get().input()) || !x.equals(v.get().input())
                || !sameInputQuantization(q.get(), k.get()) || !sameInputQuantization(q.get(), v.get())) {
            return Optional.empty();
        }
        long hidden = q.get().bias().getDims(0);
        if (k.get().bias().getDims(0) != hidden || v.get().bias().getDims(0) != hidden
                || q.get().weight().getDims(0) != k.get().weight().getDims(0) || q.get().weight().getDims(0) != v.get().weight().getDims(0)) {
            return Optional.empty();
        }
        Optional<long[]> headShape = headShape(q.get().reshape());
        if (headShape.isEmpty() || headShape.get()[0] * headShape.get()[1] != hidden
                || !sameHeads(headShape.get(), k.get()) || !sameHeads(headShape.get(), v.get())) {
            return Optional.empty();
        }
        if (q.get().quantized().isPresent() && Math.abs(divisor - Math.sqrt(headShape.get()[1])) > 1e-5 * divisor) {
            return Optional.empty(); // QAttention has no scale of its own to set
        }
        return Optional.of(new Match(q.get(), k.get(), v.get(), divisor, mask.get(), headShape.get()[0], output.get()));
    }

    /** Both fp32, or both int8 with the same quantized input (same input scale and zero point). */
    private static boolean sameInputQuantization(Projection a, Projection b) {
        if (a.quantized().isEmpty() || b.quantized().isEmpty()) {
            return a.quantized().isEmpty() && b.quantized().isEmpty();
        }
        return a.quantized().get().inputScale().equals(b.quantized().get().inputScale())
                && a.quantized().get().inputZeroPoint().equals(b.quantized().get().inputZeroPoint());
    }

    /** {@code Transpose[perm](Reshape(Add(bias, MatMul(X, W)), shape))} with W and bias float initializers. */
    private Optional<Projection> projection(String tensor, long[] perm) {
        return graph.producer(tensor, "Transpose").filter(t -> isPerm(t, perm))
                .flatMap(t -> graph.producer(t.getInput(0), "Reshape"))
                .flatMap(reshape -> graph.producer(reshape.getInput(0), "Add").flatMap(add -> {
                    for (int side = 0; side < 2; side++) {
                        Optional<TensorProto> bias = graph.initializer(add.getInput(side))
                                .filter(b -> b.getDataType() == ModelGraph.FLOAT && b.getDimsCount() == 1);
                        Optional<NodeProto> matMul = graph.producer(add.getInput(1 - side), "MatMul");
                        if (bias.isPresent() && matMul.isPresent()) {
                            Optional<TensorProto> weight = graph.initializer(matMul.get().getInput(1))
                                    .filter(w -> w.getDataType() == ModelGraph.FLOAT && w.getDimsCount() == 2
                                            && w.getDims(1) == bias.get().getDims(0));
                            if (weight.isPresent()) {
                                return Optional.of(new Projection(matMul.get().getInput(0), weight.get(), bias.get(), reshape,
                                        Optional.empty()));
                            }
                        }
                        if (bias.isPresent()) {
                            Optional<Projection> quantized = quantizedProjection(add.getInput(1 - side), bias.get(), reshape);
                            if (quantized.isPresent()) {
                                return quantized;
                            }
                        }
                    }
                    return Optional.empty();
                }));
    }

    /**
     * {@code Mul(Cast(MatMulInteger(Xq, W, Xzp, Wzp)), Mul(Xscale, Wscale))}, with Xq, Xscale and Xzp the outputs of
     * one {@code DynamicQuantizeLinear}, W an int8 initializer and Wscale, Wzp one value per output column.
     */
    private Optional<Projection> quantizedProjection(String dequantized, TensorProto bias, NodeProto reshape) {
        long hidden = bias.getDims(0);
        Optional<NodeProto> outputMul = graph.producer(dequantized, "Mul");
        if (outputMul.isEmpty()) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            Optional<NodeProto> matMul = graph.producer(outputMul.get().getInput(side), "Cast")
                    .filter(c -> ModelGraph.attribute(c, "to").map(AttributeProto::getI).orElse(0L) == ModelGraph.FLOAT)
                    .flatMap(c -> graph.producer(c.getInput(0), "MatMulInteger"))
                    .filter(m -> m.getInputCount() == 4);
            Optional<NodeProto> scales = graph.producer(outputMul.get().getInput(1 - side), "Mul");
            if (matMul.isEmpty() || scales.isEmpty()) {
                continue;
            }
            NodeProto mm = matMul.get();
            Optional<NodeProto> quantize = graph.producer(mm.getInput(0), "DynamicQuantizeLinear")
                    .filter(dq -> dq.getOutputCount() == 3 && dq.getOutput(0).equals(mm.getInput(0)) && dq.getOutput(2).equals(mm.getInput(2)));
            Optional<TensorProto> weight = graph.initializer(mm.getInput(1))
                    .filter(w -> w.getDataType() == ModelGraph.INT8 && w.getDimsCount() == 2 && w.getDims(1) == hidden);
            Optional<TensorProto> weightZeroPoint = graph.initializer(mm.getInput(3)).filter(z -> perColumn(z, ModelGraph.INT8, hidden));
            if (quantize.isEmpty() || weight.isEmpty() || weightZeroPoint.isEmpty()) {
                continue;
            }
            String inputScale = quantize.get().getOutput(1);
            for (int s = 0; s < 2; s++) {
                Optional<TensorProto> weightScale = graph.initializer(scales.get().getInput(1 - s))
                        .filter(w -> perColumn(w, ModelGraph.FLOAT, hidden));
                if (scales.get().getInput(s).equals(inputScale) && weightScale.isPresent()) {
                    return Optional.of(new Projection(mm.getInput(0), weight.get(), bias, reshape, Optional.of(
                            new Quantized(inputScale, mm.getInput(2), weightScale.get(), weightZeroPoint.get()))));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean perColumn(TensorProto t, int dataType, long columns) {
        return t.getDataType() == dataType && t.getDimsCount() == 1 && t.getDims(0) == columns;
    }

    private boolean sameHeads(long[] heads, Projection p) {
        return headShape(p.reshape()).filter(h -> Arrays.equals(h, heads)).isPresent();
    }

    /** [heads, head size] from the split-heads Reshape: a constant shape, or a Concat whose last two parts are constants. */
    private Optional<long[]> headShape(NodeProto reshape) {
        String shape = reshape.getInput(1);
        Optional<TensorProto> constant = graph.constant(shape);
        if (constant.isPresent()) {
            long[] dims = ModelGraph.longs(constant.get());
            return dims.length == 4 && dims[2] > 0 && dims[3] > 0 ? Optional.of(new long[] {dims[2], dims[3]}) : Optional.empty();
        }
        return graph.producer(shape, "Concat").filter(c -> c.getInputCount() == 4).flatMap(c -> {
            Optional<TensorProto> heads = graph.constant(c.getInput(2));
            Optional<TensorProto> size = graph.constant(c.getInput(3));
            if (heads.isEmpty() || size.isEmpty()) {
                return Optional.empty();
            }
            long[] h = ModelGraph.longs(heads.get());
            long[] s = ModelGraph.longs(size.get());
            return h.length == 1 && s.length == 1 && h[0] > 0 && s[0] > 0 ? Optional.of(new long[] {h[0], s[0]}) : Optional.empty();
        });
    }

    /**
     * The graph input the additive mask is built from, if it is the usual {@code (1 - float(mask)) * big negative}:
     * the fused kernel then applies the same mask itself (masked positions get zero probability either way).
     */
    private Optional<String> attentionMask(String maskBias) {
        return graph.producer(maskBias, "Mul").flatMap(mul -> {
            for (int side = 0; side < 2; side++) {
                Optional<Float> scale = graph.floatScalar(mul.getInput(side));
                Optional<NodeProto> sub = graph.producer(mul.getInput(1 - side), "Sub");
                if (scale.isPresent() && scale.get() <= -1e4f && sub.isPresent()
                        && graph.floatScalar(sub.get().getInput(0)).filter(one -> one == 1f).isPresent()) {
                    String t = sub.get().getInput(1);
                    for (int hops = 0; hops < 4 && !graph.isGraphInput(t); hops++) {
                        String current = t;
                        Optional<NodeProto> step = graph.producer(current, "Unsqueeze").or(() -> graph.producer(current, "Cast"));
                        if (step.isEmpty()) {
                            return Optional.empty();
                        }
                        t = step.get().getInput(0);
                    }
                    return graph.isGraphInput(t) ? Optional.of(t) : Optional.empty();
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The one consumer of the given type, where any others only read the tensor's shape (exports compute the
     * merge-heads Reshape's target shape that way; those Shape nodes die with the pattern).
     */
    private Optional<NodeProto> onlyConsumer(String tensor, String opType) {
        List<NodeProto> of = graph.consumers(tensor).stream()
                .filter(n -> !(n.getOpType().equals("Shape") && n.getDomain().isEmpty())).toList();
        return of.size() == 1 && of.get(0).getOpType().equals(opType) && of.get(0).getDomain().isEmpty()
                ? Optional.of(of.get(0)) : Optional.empty();
    }

    private static boolean isPerm(NodeProto transpose, long[] perm) {
        List<Long> p = ModelGraph.attribute(transpose, "perm").map(AttributeProto::getIntsList).orElse(List.of());
        if (p.size() != perm.length) {
            return false;
        }
        for (int i = 0; i < perm.length; i++) {
            if (p.get(i) != perm[i]) {
                return false;
            }
        }
        return true;
    }

    private void rewrite(Match m, int layer) {
        if (maskInt32 == null) {
            maskInt32 = graph.freshName("parallelrag/attention_mask_int32");
            graph.replaceProducers(NodeProto.newBuilder().setName(graph.freshName("parallelrag/AttentionMaskCast"))
                    .setOpType("Cast").addInput(m.mask()).addOutput(maskInt32)
                    .addAttribute(AttributeProto.newBuilder().setName("to").setType(2).setI(ModelGraph.INT32)).build());
        }
        if (m.q().quantized().isPresent()) {
            rewriteQuantized(m, layer);
            return;
        }
        long in = m.q().weight().getDims(0);
        long hidden = m.q().bias().getDims(0);
        float[][] w = {ModelGraph.floats(m.q().weight()), ModelGraph.floats(m.k().weight()), ModelGraph.floats(m.v().weight())};
        float[] packedWeight = packColumns(w, (int) in, (int) hidden);
        float[] packedBias = packedBias(m);
        String weightName = graph.freshName("parallelrag/attention_" + layer + "/qkv_weight");
        String biasName = graph.freshName("parallelrag/attention_" + layer + "/qkv_bias");
        graph.addInitializer(ModelGraph.floatTensor(weightName, packedWeight, in, 3 * hidden));
        graph.addInitializer(ModelGraph.floatTensor(biasName, packedBias, 3 * hidden));
        graph.replaceProducers(NodeProto.newBuilder().setName(graph.freshName("parallelrag/Attention_" + layer))
                .setOpType("Attention").setDomain(GraphFusions.MICROSOFT)
                .addInput(m.q().input()).addInput(weightName).addInput(biasName).addInput(maskInt32)
                .addOutput(m.output())
                .addAttribute(AttributeProto.newBuilder().setName("num_heads").setType(2).setI(m.heads()))
                .addAttribute(AttributeProto.newBuilder().setName("scale").setType(1).setF(1f / m.divisor()))
                .build());
    }

    /** The same block as {@code com.microsoft.QAttention}: the int8 weights, their scales and zero points packed Q|K|V per row. */
    private void rewriteQuantized(Match m, int layer) {
        long in = m.q().weight().getDims(0);
        int hidden = (int) m.q().bias().getDims(0);
        byte[][] w = {ModelGraph.int8s(m.q().weight()), ModelGraph.int8s(m.k().weight()), ModelGraph.int8s(m.v().weight())};
        byte[] packedWeight = new byte[(int) (in * 3 * hidden)];
        for (int row = 0; row < in; row++) {
            for (int part = 0; part < 3; part++) {
                System.arraycopy(w[part], row * hidden, packedWeight, row * 3 * hidden + part * hidden, hidden);
            }
        }
        Quantized q = m.q().quantized().orElseThrow();
        Quantized k = m.k().quantized().orElseThrow();
        Quantized v = m.v().quantized().orElseThrow();
        float[] packedScale = packColumns(new float[][] {ModelGraph.floats(q.weightScale()), ModelGraph.floats(k.weightScale()),
                ModelGraph.floats(v.weightScale())}, 1, hidden);
        byte[] packedZeroPoint = new byte[3 * hidden];
        System.arraycopy(ModelGraph.int8s(q.weightZeroPoint()), 0, packedZeroPoint, 0, hidden);
        System.arraycopy(ModelGraph.int8s(k.weightZeroPoint()), 0, packedZeroPoint, hidden, hidden);
        System.arraycopy(ModelGraph.int8s(v.weightZeroPoint()), 0, packedZeroPoint, 2 * hidden, hidden);
        String prefix = "parallelrag/attention_" + layer;
        String weightName = graph.freshName(prefix + "/qkv_weight_quantized");
        String biasName = graph.freshName(prefix + "/qkv_bias");
        String scaleName = graph.freshName(prefix + "/qkv_weight_scale");
        String zeroPointName = graph.freshName(prefix + "/qkv_weight_zero_point");
        graph.addInitializer(ModelGraph.int8Tensor(weightName, packedWeight, in, 3L * hidden));
        graph.addInitializer(ModelGraph.floatTensor(biasName, packedBias(m), 3L * hidden));
        graph.addInitializer(ModelGraph.floatTensor(scaleName, packedScale, 3L * hidden));
        graph.addInitializer(ModelGraph.int8Tensor(zeroPointName, packedZeroPoint, 3L * hidden));
        graph.replaceProducers(NodeProto.newBuilder().setName(graph.freshName("parallelrag/QAttention_" + layer))
                .setOpType("QAttention").setDomain(GraphFusions.MICROSOFT)
                .addInput(m.q().input()).addInput(weightName).addInput(biasName).addInput(q.inputScale()).addInput(scaleName)
                .addInput(maskInt32).addInput(q.inputZeroPoint()).addInput(zeroPointName)
                .addOutput(m.output())
                .addAttribute(AttributeProto.newBuilder().setName("num_heads").setType(2).setI(m.heads()))
                .build());
    }

    /** Q, K and V's columns side by side in each of {@code rows} rows. */
    private static float[] packColumns(float[][] parts, int rows, int hidden) {
        float[] packed = new float[rows * 3 * hidden];
        for (int row = 0; row < rows; row++) {
            for (int part = 0; part < 3; part++) {
                System.arraycopy(parts[part], row * hidden, packed, row * 3 * hidden + part * hidden, hidden);
            }
        }
        return packed;
    }

    private static float[] packedBias(Match m) {
        return packColumns(new float[][] {ModelGraph.floats(m.q().bias()), ModelGraph.floats(m.k().bias()), ModelGraph.floats(m.v().bias())},
                1, (int) m.q().bias().getDims(0));
    }
}
