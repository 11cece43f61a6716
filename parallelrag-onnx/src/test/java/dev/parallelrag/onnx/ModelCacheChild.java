package dev.parallelrag.onnx;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A separate process for {@link ModelCacheTest}: loads the quantized model through the model cache in the
 * directory given as the argument, and prints what the cache did and a fingerprint of the first text's vector.
 */
public final class ModelCacheChild {

    private ModelCacheChild() {
    }

    public static void main(String[] args) {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2Quantized(
                OnnxEmbeddingConfig.builder().modelCacheDirectory(Path.of(args[0])).build())) {
            System.out.println(describe(model));
        }
    }

    static String describe(OnnxEmbeddingModel model) {
        return model.modelLoad().cache() + " " + fingerprint(model.embedBatch(ModelCacheTest.TEXTS).getFirst());
    }

    static String fingerprint(float[] vector) {
        return Integer.toHexString(Arrays.hashCode(vector));
    }
}
