package dev.parallelrag.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A separate process for {@link ModelCacheTest} and {@link NativeLibraryCacheTest}: loads the quantized model
 * through the model cache in the directory given as the argument ({@value #NO_CACHE}: without it), prints where ONNX Runtime's library was
 * loaded from (on Linux) and the {@code onnxruntime*} entries of {@code java.io.tmpdir} while the model is
 * loaded, then, last, what the cache did and a fingerprint of the first text's vector.
 */
public final class ModelCacheChild {

    /** The argument for a model without the model cache: ONNX Runtime then copies its libraries itself. */
    static final String NO_CACHE = "none";

    private ModelCacheChild() {
    }

    public static void main(String[] args) {
        OnnxEmbeddingConfig.Builder config = OnnxEmbeddingConfig.builder();
        if (args[0].equals(NO_CACHE)) {
            config.noModelCache();
        } else {
            config.modelCacheDirectory(Path.of(args[0]));
        }
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2Quantized(config.build())) {
            System.out.println("native library " + loadedLibrary());
            System.out.println("temporary entries " + onnxRuntimeTemporaryEntries());
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

    /** Names in {@code java.io.tmpdir} that start with {@code onnxruntime}, sorted. */
    static List<String> onnxRuntimeTemporaryEntries() {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("onnxruntime")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fingerprint(float[] vector) {
        return Integer.toHexString(Arrays.hashCode(vector));
    }
}
