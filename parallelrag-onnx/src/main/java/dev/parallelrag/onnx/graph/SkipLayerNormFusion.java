package dev.parallelrag.onnx.graph;

import dev.parallelrag.onnx.graph.proto.OnnxModelProto.AttributeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.NodeProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.TensorProto;
import java.util.List;
import java.util.Optional;

/**
 * Replaces "dense output + bias + residual, then layer norm" with ONNX Runtime's fused
 * {@code com.microsoft.SkipLayerNormalization}: one pass over the activations instead of two adds and the
 * layer norm's own passes. The layer norm is the decomposed form PyTorch exports at opsets below 17:
 * <pre>
 *   x = Add(Add(bias, MatMul(..)), residual)          d = Sub(x, ReduceMean(x))
 *   y = Add(Mul(Div(d, Sqrt(Add(ReduceMean(Pow(d, 2)), eps))), gamma), beta)
 * </pre>
 * with the means over the last axis. Anything that does not match exactly is left as it is.
 */
final class SkipLayerNormFusion {

    private final ModelGraph graph;

    SkipLayerNormFusion(ModelGraph graph) {
        this.graph = graph;
    }

    /** Fuses every layer norm that matches, given the candidate final {@code Add(.., beta)} nodes; returns how many. */
    int apply(List<NodeProto> adds) {
        int fused = 0;
        for (NodeProto add : adds) {
            Optional<NodeProto> node = match(add, fused);
            if (node.isPresent()) {
                graph.replaceProducers(node.get());
                fused++;
            }
        }
        return fused;
    }

    private record Dense(String input, String bias, String residual) {
    }

    private Optional<NodeProto> match(NodeProto betaAdd, int index) {
        for (int side = 0; side < 2; side++) {
            Optional<TensorProto> beta = vector(betaAdd.getInput(side));
            Optional<NodeProto> gammaMul = graph.producer(betaAdd.getInput(1 - side), "Mul");
            if (beta.isEmpty() || gammaMul.isEmpty()) {
                continue;
            }
            for (int g = 0; g < 2; g++) {
                Optional<TensorProto> gamma = vector(gammaMul.get().getInput(g));
                Optional<NodeProto> div = graph.producer(gammaMul.get().getInput(1 - g), "Div");
                if (gamma.isEmpty() || div.isEmpty()) {
                    continue;
                }
                Optional<NodeProto> node = normalized(div.get()).flatMap(norm -> dense(norm.x()).map(dense ->
                        NodeProto.newBuilder().setName(graph.freshName("parallelrag/SkipLayerNorm_" + index))
                                .setOpType("SkipLayerNormalization").setDomain(GraphFusions.MICROSOFT)
                                .addInput(dense.input()).addInput(dense.residual())
                                .addInput(gamma.get().getName()).addInput(beta.get().getName()).addInput(dense.bias())
                                .addOutput(betaAdd.getOutput(0))
                                .addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(1).setF(norm.epsilon()))
                                .build()));
                if (node.isPresent()) {
                    return node;
                }
            }
        }
        return Optional.empty();
    }

    private record Normalized(String x, float epsilon) {
    }

    /** {@code Div(d, Sqrt(Add(ReduceMean(Pow(d, 2)), eps)))} with {@code d = Sub(x, ReduceMean(x))}. */
    private Optional<Normalized> normalized(NodeProto div) {
        Optional<NodeProto> sub = graph.producer(div.getInput(0), "Sub");
        Optional<NodeProto> sqrt = graph.producer(div.getInput(1), "Sqrt");
        if (sub.isEmpty() || sqrt.isEmpty()) {
            return Optional.empty();
        }
        String x = sub.get().getInput(0);
        boolean meanOfX = graph.producer(sub.get().getInput(1), "ReduceMean")
                .filter(this::overLastAxis).filter(m -> m.getInput(0).equals(x)).isPresent();
        Optional<NodeProto> epsAdd = graph.producer(sqrt.get().getInput(0), "Add");
        if (!meanOfX || epsAdd.isEmpty()) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            Optional<Float> eps = graph.floatScalar(epsAdd.get().getInput(side));
            boolean variance = graph.producer(epsAdd.get().getInput(1 - side), "ReduceMean").filter(this::overLastAxis)
                    .flatMap(m -> graph.producer(m.getInput(0), "Pow"))
                    .filter(p -> p.getInput(0).equals(sub.get().getOutput(0)))
                    .flatMap(p -> graph.floatScalar(p.getInput(1))).filter(two -> two == 2f).isPresent();
            if (eps.isPresent() && eps.get() > 0 && variance) {
                return Optional.of(new Normalized(x, eps.get()));
            }
        }
        return Optional.empty();
    }

    /** {@code x = Add(Add(bias, MatMul(..)), residual)}: the dense layer's output before its bias, the bias, the residual. */
    private Optional<Dense> dense(String x) {
        Optional<NodeProto> residualAdd = graph.producer(x, "Add");
        if (residualAdd.isEmpty()) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            String residual = residualAdd.get().getInput(1 - side);
            if (graph.constant(residual).isPresent()) {
                continue; // a constant would be broadcast; the fused kernel wants a residual of the input's shape
            }
            Optional<NodeProto> biasAdd = graph.producer(residualAdd.get().getInput(side), "Add");
            if (biasAdd.isEmpty()) {
                continue;
            }
            for (int b = 0; b < 2; b++) {
                Optional<TensorProto> bias = vector(biasAdd.get().getInput(b));
                Optional<NodeProto> matMul = graph.producer(biasAdd.get().getInput(1 - b), "MatMul");
                if (bias.isPresent() && matMul.isPresent()) {
                    return Optional.of(new Dense(matMul.get().getOutput(0), bias.get().getName(), residual));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<TensorProto> vector(String name) {
        return graph.initializer(name).filter(t -> t.getDataType() == ModelGraph.FLOAT && t.getDimsCount() == 1);
    }

    /** Mean over the last axis only, keeping it (the default), as layer norm needs; opsets up to 17 give axes as an attribute. */
    private boolean overLastAxis(NodeProto reduceMean) {
        List<Long> axes = ModelGraph.attribute(reduceMean, "axes").map(AttributeProto::getIntsList).orElse(List.of());
        long keepDims = ModelGraph.attribute(reduceMean, "keepdims").map(AttributeProto::getI).orElse(1L);
        return reduceMean.getInputCount() == 1 && axes.equals(List.of(-1L)) && keepDims == 1;
    }
}
