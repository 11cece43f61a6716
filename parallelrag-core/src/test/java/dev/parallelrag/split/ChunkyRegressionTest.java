package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.model.Chunk;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input that sent the original system's splitters into an endless loop: size 10 with overlap 1 and
 * 2. Each splitter must finish, cut exact slices in order, and give the output worked out by hand from
 * its documented rules.
 */
class ChunkyRegressionTest {

    private static final String CHUNKY = "My name is Chunky. And this is a sentence.";
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @ParameterizedTest(name = "overlap {0}")
    @ValueSource(ints = {1, 2})
    void recursiveSplitterPacksWordsAndNeverExceedsTen(int overlap) {
        // pieces "My"," name"," is"," Chunky."," And"," this"," is"," a"," sentence." (keep start, 2 to 10 code
        // points); every piece before a cut is longer than the overlap, so no piece is repeated
        List<Chunk> chunks = split(RecursiveSplitter.of(10, overlap));

        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("My name is", "Chunky.", "And this", "is a", "sentence.");
        assertThat(chunks).extracting(Chunk::start).containsExactly(0, 11, 19, 28, 33);
    }

    @ParameterizedTest(name = "overlap {0}")
    @ValueSource(ints = {1, 2})
    void separatorSplitterOnSpacesKeepsWholeWordOverlap(int overlap) {
        List<Chunk> chunks = split(SeparatorSplitter.builder().separator(" ").chunkSize(10).chunkOverlap(overlap).build());

        if (overlap == 1) {
            assertThat(chunks).extracting(Chunk::text).containsExactly("My name is", "Chunky.", "And this", "is a", "sentence.");
        } else {
            // "is" (2) fits in an overlap of 2, so it is repeated at the start of the next chunk
            assertThat(chunks).extracting(Chunk::text).containsExactly("My name is", "is Chunky.", "And this", "is a", "sentence.");
        }
    }

    @ParameterizedTest(name = "overlap {0}")
    @ValueSource(ints = {1, 2})
    void separatorSplitterWithDefaultSeparatorPassesTheWholeTextThrough(int overlap) {
        // no "\n\n" in the text: one piece, longer than the size, passes through whole (as in LangChain)
        List<Chunk> chunks = split(SeparatorSplitter.builder().chunkSize(10).chunkOverlap(overlap).build());

        assertThat(chunks).extracting(Chunk::text).containsExactly(CHUNKY);
    }

    @ParameterizedTest(name = "overlap {0}")
    @ValueSource(ints = {1, 2})
    void characterSplitterSlidesBackByTheOverlap(int overlap) {
        List<Chunk> chunks = split(CharacterSplitter.of(10, overlap));

        if (overlap == 1) {
            assertThat(chunks).extracting(Chunk::text)
                    .containsExactly("My name", "is", "Chunky.", "And this", "is a", "sentence.");
        } else {
            // windows restart 2 code points before each cut, so they may begin inside a word; the window
            // after "s a" starts at "a" and finds no later whitespace, so "a" repeats inside "s a"
            assertThat(chunks).extracting(Chunk::text)
                    .containsExactly("My name", "e is", "s Chunky.", ". And", "d this is", "s a", "a", "sentence.");
        }
        assertThat(chunks).allSatisfy(c -> assertThat(c.text().codePointCount(0, c.text().length())).isLessThanOrEqualTo(10));
    }

    private static List<Chunk> split(TextSplitter splitter) {
        List<Chunk> chunks = SplitterInvariants.splitWithin(splitter, CHUNKY, LIMIT);
        SliceChecks.assertExactSlicesInOrder(CHUNKY, chunks, true);
        SplitterInvariants.assertCoversNonWhitespace(CHUNKY, chunks);
        return chunks;
    }
}
