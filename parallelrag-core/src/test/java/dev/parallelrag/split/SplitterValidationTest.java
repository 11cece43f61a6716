package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad parameters fail at build time with a {@link ValidationException} naming field, value and rule. */
class SplitterValidationTest {

    @Test
    void zeroOrNegativeChunkSizeIsRejectedByEverySplitter() {
        for (int size : new int[] {0, -5}) {
            assertRejected(() -> CharacterSplitter.builder().chunkSize(size).chunkOverlap(0).build(), "chunkSize", size, "at least 1");
            assertRejected(() -> SeparatorSplitter.builder().chunkSize(size).chunkOverlap(0).build(), "chunkSize", size, "at least 1");
            assertRejected(() -> RecursiveSplitter.builder().chunkSize(size).chunkOverlap(0).build(), "chunkSize", size, "at least 1");
        }
    }

    @Test
    void negativeOverlapIsRejected() {
        assertRejected(() -> CharacterSplitter.of(10, -1), "chunkOverlap", -1, "at least 0");
        assertRejected(() -> Splitters.separator(" ", 10, -1), "chunkOverlap", -1, "between 0 and chunkSize (10)");
        assertRejected(() -> Splitters.recursive(10, -1), "chunkOverlap", -1, "between 0 and chunkSize (10)");
    }

    @Test
    void characterSplitterNeedsOverlapBelowSize() {
        assertRejected(() -> CharacterSplitter.of(10, 10), "chunkOverlap", 10, "less than chunkSize (10)");
        assertThat(CharacterSplitter.of(10, 9).chunkOverlap()).isEqualTo(9);
    }

    @Test
    void langChainSplittersAllowOverlapUpToSizeAsLangChainDoes() {
        assertThat(Splitters.recursive(10, 10).chunkOverlap()).isEqualTo(10);
        assertThat(Splitters.separator(" ", 10, 10).chunkOverlap()).isEqualTo(10);
        assertRejected(() -> Splitters.recursive(10, 11), "chunkOverlap", 11, "between 0 and chunkSize (10) inclusive");
        assertRejected(() -> Splitters.separator(" ", 10, 11), "chunkOverlap", 11, "between 0 and chunkSize (10) inclusive");
    }

    @Test
    void anOverlapNotGivenIsAFifthOfTheSizeAtMost200InEveryBuilder() {
        // a fixed default of 200 made every size up to 200 an error; LangChain's 4000/200 is unchanged
        assertThat(RecursiveSplitter.builder().chunkSize(100).build().chunkOverlap()).isEqualTo(20);
        assertThat(SeparatorSplitter.builder().chunkSize(100).build().chunkOverlap()).isEqualTo(20);
        assertThat(CharacterSplitter.builder().chunkSize(100).build().chunkOverlap()).isEqualTo(20);
        assertThat(TokenSplitter.builder().chunkSize(100).build().chunkOverlap()).isEqualTo(20);
        assertThat(SentenceSplitter.builder().chunkSize(100).build().chunkOverlap()).isEqualTo(20);
        assertThat(RecursiveSplitter.builder().build().chunkOverlap()).isEqualTo(200);
        assertThat(TokenSplitter.builder().chunkSize(5000).build().chunkOverlap()).isEqualTo(200);
        assertThat(CharacterSplitter.builder().chunkSize(4).build().chunkOverlap()).isZero();
        assertThat(RecursiveSplitter.builder().chunkSize(100).chunkOverlap(0).build().chunkOverlap()).isZero();
    }

    @Test
    void invalidRegexNamesTheSeparatorAndTheProblem() {
        assertRejected(() -> SeparatorSplitter.builder().separator("(unclosed").separatorRegex(true).chunkSize(10).chunkOverlap(0).build(),
                "separator", "(unclosed", "not a valid regular expression");
        assertRejected(() -> RecursiveSplitter.builder().separators(List.of("\n", "[a-")).separatorRegex(true).chunkSize(10).chunkOverlap(0).build(),
                "separators[1]", "[a-", "not a valid regular expression");
    }

    @Test
    void theSameTextIsFineAsALiteral() {
        assertThat(SeparatorSplitter.builder().separator("(unclosed").chunkSize(10).chunkOverlap(0).build()
                .splitText("a(unclosedb")).containsExactly("ab".substring(0, 1), "b");
    }

    @Test
    void missingSeparatorsAreRejected() {
        assertRejected(() -> RecursiveSplitter.builder().separators(List.of()).chunkSize(10).chunkOverlap(0).build(),
                "separators", "[]", "at least one separator");
        assertRejected(() -> RecursiveSplitter.builder().separators(null).chunkSize(10).chunkOverlap(0).build(),
                "separators", null, "at least one separator");
        assertRejected(() -> RecursiveSplitter.builder().separators(Arrays.asList("\n", null)).chunkSize(10).chunkOverlap(0).build(),
                "separators[1]", null, "must not be null");
        assertRejected(() -> SeparatorSplitter.builder().separator(null).chunkSize(10).chunkOverlap(0).build(),
                "separator", null, "must not be null");
    }

    @Test
    void loneSurrogateSeparatorIsRejected() {
        assertRejected(() -> Splitters.separator("\uD83D", 10, 0), "separator", "\uD83D", "unpaired surrogate");
    }

    @Test
    void missingKeepSeparatorOrLengthFunctionIsRejected() {
        assertRejected(() -> RecursiveSplitter.builder().keepSeparator(null).chunkSize(10).chunkOverlap(0).build(),
                "keepSeparator", null, "none, start, end");
        assertRejected(() -> SeparatorSplitter.builder().lengthFunction(null).chunkSize(10).chunkOverlap(0).build(),
                "lengthFunction", null, "must be set");
        assertRejected(() -> RecursiveSplitter.forLanguage(null), "language", null, "MARKDOWN, JAVA, PYTHON");
    }

    @Test
    void unknownTokenEncodingIsRejected() {
        assertRejected(() -> Splitters.recursive(10, 0, LengthFunction.tokens("gpt2_base")), "encoding", "gpt2_base", "cl100k_base");
    }

    private static void assertRejected(Runnable build, String field, Object value, String ruleFragment) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.value()).isEqualTo(value == null ? null : String.valueOf(value));
                    assertThat(e.rule()).contains(ruleFragment);
                    assertThat(e.getMessage()).contains(field).contains(ruleFragment);
                });
    }
}
