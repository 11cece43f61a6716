package dev.parallelrag.onnx.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.parallelrag.onnx.TestTexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Our pure-Java WordPiece against HuggingFace tokenizers (through DJL, test scope only) on the same
 * tokenizer.json, with truncation off: token ids must be identical.
 */
class BertTokenizerParityTest {

    // static and loaded once: jqwik properties do not run JUnit's @BeforeAll
    private static final HuggingFaceTokenizer reference = load(true);
    private static final BertTokenizer ours = load(false);

    @SuppressWarnings("unchecked")
    private static <T> T load(boolean djl) {
        try (InputStream in = BertTokenizerParityTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            return (T) (djl
                    ? HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))
                    : BertTokenizer.fromJson(in, "all-minilm-l6-v2-tokenizer.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertSameIds(String text) {
        long[] expected = reference.encode(text, false, false).getIds();
        int[] actual = ours.encode(text);
        assertThat(Arrays.stream(actual).asLongStream().toArray())
                .as("token ids of %s", abbreviate(text))
                .containsExactly(expected);
    }

    private static String abbreviate(String s) {
        return '"' + (s.length() > 120 ? s.substring(0, 117) + "..." : s) + '"';
    }

    @Test
    void identicalOnThreeThousandSotuSentences() {
        List<String> sentences = TestTexts.sotuSentences(3000, 7);
        sentences.forEach(BertTokenizerParityTest::assertSameIds);
    }

    @Test
    void identicalOnWholeSpeechesWithoutTruncation() {
        List<String> speeches = TestTexts.speeches();
        for (int i = 0; i < speeches.size(); i += 23) {
            assertSameIds(speeches.get(i));
        }
    }

    @Test
    void identicalOnNonAsciiSamples() {
        TestTexts.NON_ASCII.forEach(BertTokenizerParityTest::assertSameIds);
        assertThat(ours.tokens("Café naïve 東京 😀")).containsExactly("cafe", "naive", "東", "京", "[UNK]");
    }

    @Property(tries = 400)
    void identicalOnRandomMixedText(@ForAll("mixedText") String text) {
        assertSameIds(text);
    }

    @Provide
    Arbitrary<String> mixedText() {
        List<String> pieces = new ArrayList<>(TestTexts.NON_ASCII);
        pieces.addAll(List.of("the", "Congress", "1790", "U.S.", "don't", "—", "...", "##ing", "[SEP]", "unaffable"));
        Arbitrary<String> piece = Arbitraries.of(pieces);
        Arbitrary<String> space = Arbitraries.of(" ", "  ", "\t", "\n", "\u00A0", "\u3000", "");
        // assigned code points of the Basic Multilingual Plane and the CJK extension B block
        Arbitrary<String> codePoint = Arbitraries.oneOf(Arbitraries.integers().between(0x20, 0xD7FF),
                        Arbitraries.integers().between(0x20000, 0x2A6DF))
                .filter(cp -> Character.isDefined(cp) && Character.getType(cp) != Character.UNASSIGNED)
                .map(Character::toString);
        Arbitrary<String> letters = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(14);
        return Arbitraries.frequencyOf(Tuple.of(4, piece), Tuple.of(5, space), Tuple.of(4, letters), Tuple.of(3, codePoint))
                .list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    /**
     * Every assigned non-ideograph code point, each between two letters, in texts of 400: the Unicode-version
     * handling of control, punctuation and accent characters must agree with HuggingFace everywhere.
     */
    @Test
    void identicalOnEveryAssignedCodePoint() {
        List<String> mismatches = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<Integer> inText = new ArrayList<>();
        for (int cp = 0x80; cp <= 0x10FFFF; cp++) {
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE
                    || (type == Character.OTHER_LETTER && cp >= 0x3400)) {
                continue;
            }
            text.append(" a").appendCodePoint(cp).append('b');
            inText.add(cp);
            if (inText.size() == 400 || cp == 0x10FFFF) {
                check(text.toString(), inText, mismatches);
                text.setLength(0);
                inText.clear();
            }
        }
        check(text.toString(), inText, mismatches);
        assertThat(mismatches).isEmpty();
    }

    private static void check(String text, List<Integer> codePoints, List<String> mismatches) {
        if (text.isEmpty()) {
            return;
        }
        long[] expected = reference.encode(text, false, false).getIds();
        long[] actual = Arrays.stream(ours.encode(text)).asLongStream().toArray();
        if (Arrays.equals(expected, actual)) {
            return;
        }
        // narrow down to the code points that differ
        for (int cp : codePoints) {
            String one = "a" + Character.toString(cp) + "b";
            long[] e = reference.encode(one, false, false).getIds();
            long[] a = Arrays.stream(ours.encode(one)).asLongStream().toArray();
            if (!Arrays.equals(e, a)) {
                mismatches.add(String.format("U+%04X type %d: expected %s, got %s", cp, Character.getType(cp),
                        Arrays.toString(e), Arrays.toString(a)));
            }
        }
    }
}
