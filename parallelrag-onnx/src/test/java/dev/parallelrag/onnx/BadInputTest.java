package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Must show 5: bad input gives typed errors that name the problem. */
class BadInputTest {

    private static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.allMiniLmL6V2Quantized();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void emptyTextIsAValidationError() {
        assertThatThrownBy(() -> model.embedBatch(List.of("")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("text")
                .hasMessageContaining("must not be empty or blank");
    }

    @Test
    void blankTextInABatchIsNamedByIndex() {
        assertThatThrownBy(() -> model.embedBatch(List.of("fine", " \n\t ", "also fine")))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("texts[1]"));
    }

    @Test
    void textOfOnlyControlCharactersHasNoTokens() {
        assertThatThrownBy(() -> model.embedBatch(List.of("\u0001\u0002\u200B")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("has no tokens");
    }

    @Test
    void missingModelFileNamesThePath(@TempDir Path dir) throws IOException {
        Path tokenizer = copyTokenizer(dir);
        Path missing = dir.resolve("no-such-model.onnx");
        assertThatThrownBy(() -> OnnxEmbeddingModel.fromFiles("local/x", missing, tokenizer, Pooling.MEAN, true,
                OnnxEmbeddingConfig.defaults()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("modelPath");
    }

    @Test
    void corruptModelFileNamesThePath(@TempDir Path dir) throws IOException {
        Path tokenizer = copyTokenizer(dir);
        Path corrupt = Files.writeString(dir.resolve("corrupt.onnx"), "this is not an ONNX protobuf");
        assertThatThrownBy(() -> OnnxEmbeddingModel.fromFiles("local/x", corrupt, tokenizer, Pooling.MEAN, true,
                OnnxEmbeddingConfig.defaults()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(corrupt.toAbsolutePath().toString());
    }

    @Test
    void missingTokenizerNamesThePath(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("m.onnx"), "x");
        Path missing = dir.resolve("tokenizer.json");
        assertThatThrownBy(() -> OnnxEmbeddingModel.fromFiles("local/x", model, missing, Pooling.MEAN, true,
                OnnxEmbeddingConfig.defaults()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString());
    }

    @Test
    void unknownBundledModelNameListsTheKnownOnes() {
        assertThatThrownBy(() -> OnnxEmbeddingModel.named("all-minilm-l12", OnnxEmbeddingConfig.defaults()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("all-minilm-l6-v2")
                .hasMessageContaining("all-minilm-l6-v2-q");
    }

    @Test
    void oneMegabyteTextIsWindowedOverEveryToken() {
        // 1 MB of real prose: the tokenizer keeps every token and the windows cover all of them
        String text = oneMegabyteOfProse();
        int[] ids = model.tokenizer().encode(text);
        assertThat(ids.length).isGreaterThan(150_000);
        List<TokenWindows.Window> windows = TokenWindows.plan(ids, 510, 64, model.tokenizer()::isContinuation);
        assertThat(windows.get(0).start()).isZero();
        assertThat(windows.get(windows.size() - 1).end()).isEqualTo(ids.length);
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i).start()).isLessThanOrEqualTo(windows.get(i - 1).end()).isGreaterThan(windows.get(i - 1).start());
        }
        assertThat(windows).allSatisfy(w -> assertThat(w.length()).isBetween(1, 510));
        assertThat(Arrays.stream(ids).anyMatch(id -> id < 0)).isFalse();
    }

    @Test
    void oneMegabyteTextIsEmbeddedOverAllItsWindows() {
        String text = oneMegabyteOfProse();
        int[] ids = model.tokenizer().encode(text);
        int planned = TokenWindows.plan(ids, model.config().windowTokens(), model.config().windowOverlap(),
                model.tokenizer()::isContinuation).size();
        long windowsBefore = model.stats().windows();

        float[] whole = model.embedBatch(List.of(text)).get(0);

        // every window ran (nothing cut off), and their token-weighted mean came back as one unit vector
        assertThat(model.stats().windows() - windowsBefore).isEqualTo(planned).isGreaterThan(300);
        assertThat(whole).hasSize(384);
        for (float x : whole) {
            assertThat(Float.isFinite(x)).isTrue();
        }
        assertThat(dev.parallelrag.store.Vectors.norm(whole)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        // a truncating embedder would return the first window's vector; the whole text's is clearly another
        String firstWindowOnly = text.substring(0, 1_500);
        float[] head = model.embedBatch(List.of(firstWindowOnly)).get(0);
        assertThat(ReferenceVectors.cosine(head, whole)).isLessThan(0.95);
    }

    private static String oneMegabyteOfProse() {
        StringBuilder sb = new StringBuilder();
        for (String speech : TestTexts.speeches()) {
            if (sb.length() >= 1_000_000) {
                break;
            }
            sb.append(speech).append("\n\n");
        }
        return sb.substring(0, 1_000_000);
    }

    private static Path copyTokenizer(Path dir) throws IOException {
        Path tokenizer = dir.resolve("tokenizer.json");
        try (InputStream in = BadInputTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, tokenizer);
        }
        return tokenizer;
    }
}
