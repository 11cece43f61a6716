package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.parallelrag.model.Chunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link TokenSplitter} over random Unicode text and random valid parameters.
 *
 * <p>Size bound, as documented: a chunk holds at most {@code chunkSize} whole tokens of the document's own
 * tokenization, not counting tokens that lie inside its first or last character (those come from an edge
 * that moved to a character boundary: the character is the piece that cannot be split). Starts may repeat
 * (see the class doc); ends strictly increase. Token byte spans are recomputed here independently.
 */
class TokenSplitterProperties {

    private static final String CHUNKY = "My name is Chunky. And this is a sentence.";

    @Provide
    Arbitrary<String> texts() {
        return MixedUnicodeText.texts();
    }

    @Provide
    Arbitrary<String> encodings() {
        return Arbitraries.of("cl100k_base", "o200k_base", "p50k_base", "r50k_base");
    }

    @Property(tries = 150)
    void chunksAreOrderedExactSlicesThatCoverTheTextAndRespectTheWindow(
            @ForAll("texts") String text, @ForAll("encodings") String encoding,
            @ForAll @IntRange(min = 1, max = 40) int chunkSize, @ForAll @IntRange(min = 0, max = 1000) int overlapSeed,
            @ForAll boolean strip) {
        int overlap = overlapSeed % chunkSize;
        TokenSplitter splitter = TokenSplitter.builder().encoding(encoding).chunkSize(chunkSize)
                .chunkOverlap(overlap).stripWhitespace(strip).build();

        List<Chunk> chunks = SplitterInvariants.splitWithin(splitter, text, Duration.ofSeconds(10));

        SplitterInvariants.assertExactSlicesInOrder(text, chunks, false);
        SplitterInvariants.assertCoversNonWhitespace(text, chunks);
        assertWholeTokensPerChunkAtMost(LengthFunction.TokenEncodings.get(encoding), text, chunks, chunkSize);
    }

    @Example
    void chunkyWithSize10Overlap1() {
        checkChunky(10, 1);
    }

    @Example
    void chunkyWithSize10Overlap2() {
        checkChunky(10, 2);
    }

    private static void checkChunky(int size, int overlap) {
        List<Chunk> chunks = SplitterInvariants.splitWithin(TokenSplitter.of(size, overlap), CHUNKY, Duration.ofSeconds(5));
        assertThat(chunks).hasSize(2);
        SplitterInvariants.assertExactSlicesInOrder(CHUNKY, chunks);
        SplitterInvariants.assertCoversNonWhitespace(CHUNKY, chunks);
        assertWholeTokensPerChunkAtMost(LengthFunction.TokenEncodings.get("cl100k_base"), CHUNKY, chunks, size);
    }

    private static void assertWholeTokensPerChunkAtMost(Encoding encoding, String text, List<Chunk> chunks, int size) {
        String wellFormed = WellFormedText.of(text);
        IntArrayList tokens = encoding.encodeOrdinary(wellFormed);
        long[] tokenStart = new long[tokens.size() + 1];
        for (int i = 0; i < tokens.size(); i++) {
            IntArrayList one = new IntArrayList(1);
            one.add(tokens.get(i));
            tokenStart[i + 1] = tokenStart[i] + encoding.decodeBytes(one).length;
        }
        for (Chunk c : chunks) {
            long from = utf8Length(wellFormed.substring(0, c.start()));
            long to = from + utf8Length(c.text());
            int firstCp = wellFormed.codePointAt(c.start());
            int lastCp = wellFormed.codePointBefore(c.end());
            long firstCharEnd = from + utf8Length(Character.toString(firstCp));
            long lastCharStart = to - utf8Length(Character.toString(lastCp));
            int whole = 0;
            for (int i = 0; i < tokens.size(); i++) {
                long a = tokenStart[i];
                long b = tokenStart[i + 1];
                boolean inside = a >= from && b <= to;
                boolean inEdgeCharacter = b <= firstCharEnd || a >= lastCharStart;
                if (inside && !inEdgeCharacter) {
                    whole++;
                }
            }
            assertThat(whole).as("whole tokens inside chunk %d beyond its edge characters", c.index())
                    .isLessThanOrEqualTo(size);
        }
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
