package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.model.Chunk;
import java.util.List;

/**
 * Order and slice checks for the splitters whose chunks may share a start or an end with their
 * neighbour (LangChain's merge, and the sliding window when the next window finds no new whitespace):
 * exact slices, consecutive indexes, starts and ends never decreasing, no surrogate pair cut.
 */
final class SliceChecks {

    private SliceChecks() {
    }

    static void assertExactSlicesInOrder(String text, List<Chunk> chunks, boolean nonBlank) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.index()).isEqualTo(i);
            assertThat(c.text()).as("chunk %d is the slice at its offsets", i).isEqualTo(text.substring(c.start(), c.end()));
            assertThat(c.text()).as("chunk %d is not empty", i).isNotEmpty();
            if (nonBlank) {
                assertThat(Slices.isBlank(c.text(), 0, c.text().length())).as("chunk %d is blank", i).isFalse();
            }
            assertThat(insidePair(text, c.start())).as("chunk %d starts inside a surrogate pair", i).isFalse();
            assertThat(insidePair(text, c.end())).as("chunk %d ends inside a surrogate pair", i).isFalse();
            if (i > 0) {
                Chunk prev = chunks.get(i - 1);
                assertThat(c.start()).as("chunk %d starts no earlier than chunk %d", i, i - 1).isGreaterThanOrEqualTo(prev.start());
                assertThat(c.end()).as("chunk %d ends no earlier than chunk %d", i, i - 1).isGreaterThanOrEqualTo(prev.end());
            }
        }
    }

    static boolean insidePair(String text, int i) {
        return i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i))
                && Character.isHighSurrogate(text.charAt(i - 1));
    }

    static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }
}
