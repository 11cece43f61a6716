package dev.parallelrag.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A separate process for {@link ModelCacheTest} and {@link NativeLibraryCacheTest}: loads the quantized model
 * through the model cache in the directory given as the argument, prints where ONNX Runtime's library was
 * loaded from (on Linux), then, last, what the cache did and a fingerprint of the first text's vector.
 */
public final class ModelCacheChild {

    private ModelCacheChild() {
    }

    public static void main(String[] args) {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2Quantized(
                OnnxEmbeddingConfig.builder().modelCacheDirectory(Path.of(args[0])).build())) {
            System.out.println("native library " + loadedLibrary());
            System.out.println(describe(model));
        }
    }

    static String describe(OnnxEmbeddingModel model) {
        return model.modelLoad().cache() + " " + fingerprint(model.embedBatch(ModelCacheTest.TEXTS).getFirst());
    }

    /** The file of libonnxruntime this process mapped, from /proc/self/maps; "unknown" elsewhere. */
    private static String loadedLibrary() {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains(System.mapLibraryName("onnxruntime"))).map(l -> l.substring(l.indexOf('/')))
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String fingerprint(float[] vector) {
        return Integer.toHexString(Arrays.hashCode(vector));
    }
}
