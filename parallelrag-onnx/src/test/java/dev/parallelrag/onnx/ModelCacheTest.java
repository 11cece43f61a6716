package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parallelrag.onnx.graph.GraphFusions;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.GraphProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.ModelProto;
import dev.parallelrag.onnx.graph.proto.OnnxModelProto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model cache (OnnxEmbeddingConfig.modelCacheDirectory): the first load stores the fused model, later loads
 * start from it and give the very same vectors, a damaged entry is detected and rebuilt, a changed model never
 * finds the old entry, concurrent processes share one entry, and the setting turns it off.
 */
class ModelCacheTest {

    static final List<String> TEXTS = List.of("The state of the union is strong.",
            "Congress shall make no law respecting an establishment of religion.", "Café naïve résumé 東京 😀",
            "We hold these truths to be self-evident, that all men are created equal, that they are endowed by their "
                    + "Creator with certain unalienable rights.");

    private static final int CLS = 101;

    private static List<float[]> uncachedFull;
    private static List<float[]> uncachedQuantized;

    @BeforeAll
    static void uncachedReference() {
        OnnxEmbeddingConfig off = OnnxEmbeddingConfig.builder().noModelCache().build();
        uncachedFull = embed(OnnxEmbeddingModel.allMiniLmL6V2(off), ModelCacheOutcome.OFF);
        uncachedQuantized = embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(off), ModelCacheOutcome.OFF);
    }

    @Test
    void theFirstLoadStoresTheFusedModelAndEveryLaterLoadStartsFromItWithTheSameVectors(@TempDir Path dir) {
        OnnxEmbeddingConfig config = OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).build();

        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2(config), ModelCacheOutcome.STORED)).containsExactlyElementsOf(uncachedFull);
        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2(config), ModelCacheOutcome.HIT)).containsExactlyElementsOf(uncachedFull);
        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(config), ModelCacheOutcome.STORED))
                .containsExactlyElementsOf(uncachedQuantized);
        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(config), ModelCacheOutcome.HIT))
                .containsExactlyElementsOf(uncachedQuantized);
        assertThat(entries(dir)).hasSize(2);
    }

    @Test
    void aModelLoadedWithoutFusionsIsCachedApartFromTheFusedOne(@TempDir Path dir) {
        OnnxEmbeddingConfig exported = OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).fuseGraph(false).build();
        List<float[]> reference = embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(exported.toBuilder().noModelCache().build()),
                ModelCacheOutcome.OFF);

        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(exported), ModelCacheOutcome.STORED)).containsExactlyElementsOf(reference);
        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(exported), ModelCacheOutcome.HIT)).containsExactlyElementsOf(reference);
        embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(exported.toBuilder().fuseGraph(true).build()), ModelCacheOutcome.STORED);
        assertThat(entries(dir)).hasSize(2);
    }

    @Test
    void aCorruptedEntryIsDetectedDeletedAndRebuilt(@TempDir Path dir) throws IOException {
        OnnxEmbeddingConfig config = OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).build();
        Path entry = storeQuantized(config, dir);
        flipAByteInTheMiddle(entry); // inside the weights: ONNX Runtime itself would load this without a word

        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(config), ModelCacheOutcome.REBUILT))
                .containsExactlyElementsOf(uncachedQuantized);
        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(config), ModelCacheOutcome.HIT))
                .containsExactlyElementsOf(uncachedQuantized);
        assertThat(entries(dir)).containsExactly(entry);
    }

    @Test
    void aTruncatedEntryIsRebuilt(@TempDir Path dir) throws IOException {
        OnnxEmbeddingConfig config = OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).build();
        Path entry = storeQuantized(config, dir);
        try (RandomAccessFile file = new RandomAccessFile(entry.toFile(), "rw")) {
            file.setLength(file.length() / 3); // what a crash half-way through writing would leave without the rename
        }

        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(config), ModelCacheOutcome.REBUILT))
                .containsExactlyElementsOf(uncachedQuantized);
    }

    @Test
    void turningTheCacheOffStoresAndReadsNothing(@TempDir Path tmp) {
        Path dir = tmp.resolve("cache");
        OnnxEmbeddingConfig off = OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).noModelCache().build();

        assertThat(off.modelCacheDirectory()).isEmpty();
        embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(off), ModelCacheOutcome.OFF);
        assertThat(dir).doesNotExist();
        OnnxEmbeddingConfig on = off.toBuilder().modelCacheDirectory(dir).build();
        embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(on), ModelCacheOutcome.STORED);
        embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(on.toBuilder().noModelCache().build()), ModelCacheOutcome.OFF);
    }

    @Test
    void aDirectoryThatCannotBeCreatedFallsBackToTheUncachedLoad(@TempDir Path tmp) throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("file"), "in the way");
        OnnxEmbeddingConfig config = OnnxEmbeddingConfig.builder().modelCacheDirectory(notADirectory.resolve("cache")).build();

        assertThat(embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(config), ModelCacheOutcome.UNAVAILABLE))
                .containsExactlyElementsOf(uncachedQuantized);
    }

    @Test
    void aChangedModelFileNeverFindsTheOldEntry(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("cache");
        Path model = tmp.resolve("model.onnx");
        Path tokenizer = copyResource("all-minilm-l6-v2-tokenizer.json", tmp.resolve("tokenizer.json"));
        Function<OnnxEmbeddingConfig, OnnxEmbeddingModel> fromFile =
                config -> OnnxEmbeddingModel.fromFiles("local/test", model, tokenizer, Pooling.MEAN, true, config);
        OnnxEmbeddingConfig config = OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).build();

        copyResource("all-minilm-l6-v2.onnx", model);
        assertThat(embed(fromFile.apply(config), ModelCacheOutcome.STORED)).containsExactlyElementsOf(uncachedFull);
        assertThat(embed(fromFile.apply(config), ModelCacheOutcome.HIT)).containsExactlyElementsOf(uncachedFull);

        Files.write(model, withClsEmbeddingScaled(Files.readAllBytes(model)));
        List<float[]> changed = embed(fromFile.apply(config.toBuilder().noModelCache().build()), ModelCacheOutcome.OFF);
        assertThat(changed.getFirst()).isNotEqualTo(uncachedFull.getFirst());
        assertThat(embed(fromFile.apply(config), ModelCacheOutcome.STORED)).containsExactlyElementsOf(changed);
        assertThat(embed(fromFile.apply(config), ModelCacheOutcome.HIT)).containsExactlyElementsOf(changed);
        assertThat(entries(dir)).hasSize(2);
    }

    @Test
    void aModelFileWithNothingToFuseLoadsAsItIsWithoutACopy(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("cache");
        // a graph the fusions already rewrote has nothing left to fuse (GraphFusionsTest#aFusedGraphHasNothingLeftToFuse)
        Path model = tmp.resolve("model.onnx");
        try (InputStream in = ModelCacheTest.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx")) {
            Files.write(model, GraphFusions.fuse(in).toByteArray());
        }
        Path tokenizer = copyResource("all-minilm-l6-v2-tokenizer.json", tmp.resolve("tokenizer.json"));
        OnnxEmbeddingConfig config = OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).build();

        embed(OnnxEmbeddingModel.fromFiles("local/q", model, tokenizer, Pooling.MEAN, true, config), ModelCacheOutcome.NOT_APPLICABLE);
        embed(OnnxEmbeddingModel.fromFiles("local/q", model, tokenizer, Pooling.MEAN, true, config.toBuilder().fuseGraph(false).build()),
                ModelCacheOutcome.NOT_APPLICABLE);
        assertThat(entries(dir)).isEmpty();
    }

    /** The model with the [CLS] token's embedding (in every text) scaled: another model, which fuses like the original. */
    private static byte[] withClsEmbeddingScaled(byte[] serialized) throws IOException {
        ModelProto model = ModelProto.parseFrom(serialized);
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            if (t.getDimsCount() == 2 && t.getDims(0) == 30522) { // the word embeddings: vocabulary x hidden
                int hidden = (int) t.getDims(1);
                ByteBuffer raw = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                for (int d = 0; d < hidden; d++) {
                    int at = (CLS * hidden + d) * Float.BYTES;
                    raw.putFloat(at, raw.getFloat(at) * 1.5f);
                }
                graph.setInitializer(i, t.toBuilder().setRawData(ByteString.copyFrom(raw.array())));
                return model.toBuilder().setGraph(graph).build().toByteArray();
            }
        }
        throw new AssertionError("no word embedding table in the model");
    }

    @Test
    void concurrentProcessesAndThreadsShareOneIntactEntry(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> loads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                loads.add(pool.submit(childProcess(dir)));
                loads.add(pool.submit(() -> {
                    try (OnnxEmbeddingModel m = OnnxEmbeddingModel.allMiniLmL6V2Quantized(
                            OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).build())) {
                        return ModelCacheChild.describe(m);
                    }
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : loads) {
                results.add(f.get(5, TimeUnit.MINUTES));
            }

            String vector = ModelCacheChild.fingerprint(uncachedQuantized.getFirst());
            assertThat(results).allSatisfy(r -> assertThat(r).endsWith(" " + vector)
                    .matches("(STORED|HIT) .*"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(entries(dir)).hasSize(1);
        assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".tmp")).toList()).isEmpty();
        embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(OnnxEmbeddingConfig.builder().modelCacheDirectory(dir).build()),
                ModelCacheOutcome.HIT);
    }

    /** Runs {@link ModelCacheChild} on the cache in {@code dir}; gives its output, last line last. */
    static Callable<List<String>> childOutput(Path dir) {
        return childOutput(dir, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** The child's output lines, run with {@code tmp} as its {@code java.io.tmpdir}. */
    static Callable<List<String>> childOutput(Path dir, Path tmp) {
        return () -> {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                    "-cp", System.getProperty("java.class.path"), ModelCacheChild.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out.lines().toList();
        };
    }

    private static Callable<String> childProcess(Path dir) {
        Callable<List<String>> child = childOutput(dir);
        return () -> child.call().getLast();
    }

    static List<float[]> embed(OnnxEmbeddingModel model, ModelCacheOutcome expected) {
        try (model) {
            assertThat(model.modelLoad().cache()).isEqualTo(expected);
            return model.embedBatch(TEXTS);
        }
    }

    /** Loads the quantized model into an empty cache and gives the one entry that stored. */
    private static Path storeQuantized(OnnxEmbeddingConfig config, Path dir) {
        embed(OnnxEmbeddingModel.allMiniLmL6V2Quantized(config), ModelCacheOutcome.STORED);
        return entries(dir).getFirst();
    }

    static void flipAByteInTheMiddle(Path path) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0x10);
        }
    }

    private static List<Path> entries(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path copyResource(String resource, Path to) throws IOException {
        try (InputStream in = ModelCacheTest.class.getResourceAsStream("/" + resource)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }
}
