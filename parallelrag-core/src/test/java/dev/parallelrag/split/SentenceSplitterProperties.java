package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.model.Chunk;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link SentenceSplitter} over random Unicode text and random valid parameters. Size bound,
 * as documented: no chunk exceeds {@code chunkSize} in its unit unless it is a single code point (the long-
 * sentence splitter cannot cut below one character, which can be worth several tokens).
 */
class SentenceSplitterProperties {

    private static final String CHUNKY = "My name is Chunky. And this is a sentence.";

    @Provide
    Arbitrary<String> texts() {
        return MixedUnicodeText.texts();
    }

    @Property(tries = 150)
    void codePointChunksAreOrderedBoundedExactSlicesCoveringTheText(
            @ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 60) int chunkSize,
            @ForAll @IntRange(min = 0, max = 1000) int overlapSeed) {
        check(SentenceSplitter.of(chunkSize, overlapSeed % chunkSize), text, LengthFunction.codePoints(), chunkSize);
    }

    @Property(tries = 60)
    void tokenChunksAreOrderedBoundedExactSlicesCoveringTheText(
            @ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 30) int chunkSize,
            @ForAll @IntRange(min = 0, max = 1000) int overlapSeed) {
        LengthFunction tokens = LengthFunction.tokens("cl100k_base");
        SentenceSplitter splitter = SentenceSplitter.builder().lengthFunction(tokens)
                .chunkSize(chunkSize).chunkOverlap(overlapSeed % chunkSize).build();
        check(splitter, text, tokens, chunkSize);
    }

    @Example
    void chunkyWithSize10Overlap1() {
        check(SentenceSplitter.of(10, 1), CHUNKY, LengthFunction.codePoints(), 10);
    }

    @Example
    void chunkyWithSize10Overlap2() {
        check(SentenceSplitter.of(10, 2), CHUNKY, LengthFunction.codePoints(), 10);
    }

    private static void check(SentenceSplitter splitter, String text, LengthFunction length, int chunkSize) {
        List<Chunk> chunks = SplitterInvariants.splitWithin(splitter, text, Duration.ofSeconds(10));
        SplitterInvariants.assertExactSlicesInOrder(text, chunks, false);
        SplitterInvariants.assertCoversNonWhitespace(text, chunks);
        for (Chunk c : chunks) {
            if (c.text().codePointCount(0, c.text().length()) > 1) {
                assertThat(length.length(c.text())).as("length of chunk %d: %s", c.index(), c.text())
                        .isLessThanOrEqualTo(chunkSize);
            }
        }
    }
}
