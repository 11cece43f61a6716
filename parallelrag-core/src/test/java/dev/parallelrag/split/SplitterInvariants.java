package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/** The properties every splitter must keep (issue 2, Must show 3), checked on one document. */
final class SplitterInvariants {

    private SplitterInvariants() {
    }

    /** Splits under a time limit, so an endless loop fails the property instead of hanging the build. */
    static List<Chunk> splitWithin(TextSplitter splitter, String text, Duration limit) {
        return Assertions.assertTimeoutPreemptively(limit, () -> splitter.split(new Document("p", text)),
                () -> "split did not finish within " + limit + " for " + splitter);
    }

    /** Exact slices, consecutive indexes, starts and ends strictly increasing. */
    static void assertExactSlicesInOrder(String text, List<Chunk> chunks) {
        assertExactSlicesInOrder(text, chunks, true);
    }

    /** As above; with {@code strictStarts} false two chunks may share a start (ends still strictly increase). */
    static void assertExactSlicesInOrder(String text, List<Chunk> chunks, boolean strictStarts) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.index()).isEqualTo(i);
            assertThat(c.text()).as("chunk %d is the slice at its offsets", i).isEqualTo(text.substring(c.start(), c.end()));
            assertThat(c.text()).as("chunk %d is not blank", i).isNotBlank();
            assertThat(Character.isLowSurrogate(text.charAt(c.start()))
                    && c.start() > 0 && Character.isHighSurrogate(text.charAt(c.start() - 1)))
                    .as("chunk %d does not start inside a surrogate pair", i).isFalse();
            assertThat(c.end() < text.length() && Character.isLowSurrogate(text.charAt(c.end()))
                    && Character.isHighSurrogate(text.charAt(c.end() - 1)))
                    .as("chunk %d does not end inside a surrogate pair", i).isFalse();
            if (i > 0) {
                Chunk prev = chunks.get(i - 1);
                if (strictStarts) {
                    assertThat(c.start()).as("chunk %d starts after chunk %d starts", i, i - 1).isGreaterThan(prev.start());
                } else {
                    assertThat(c.start()).as("chunk %d starts no earlier than chunk %d", i, i - 1)
                            .isGreaterThanOrEqualTo(prev.start());
                }
                assertThat(c.end()).as("chunk %d ends after chunk %d ends", i, i - 1).isGreaterThan(prev.end());
            }
        }
    }

    /** Every non-whitespace code point of the text lies inside some chunk. */
    static void assertCoversNonWhitespace(String text, List<Chunk> chunks) {
        boolean[] covered = new boolean[text.length() + 1];
        for (Chunk c : chunks) {
            for (int i = c.start(); i < c.end(); i++) {
                covered[i] = true;
            }
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!Slices.isWhitespace(cp)) {
                assertThat(covered[i]).as("code point U+%04X at %d is covered", cp, i).isTrue();
            }
            i += Character.charCount(cp);
        }
    }
}
