package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.model.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link CharacterSplitter}, {@link SeparatorSplitter} and {@link RecursiveSplitter} over
 * random Unicode text (emoji, ZWJ sequences, CJK, combining marks, every kind of whitespace, any code
 * point) and random valid parameters. Each split runs under a preemptive time limit, so an endless loop
 * fails the property instead of hanging the build.
 *
 * <p>Size bounds, as documented per splitter: the character splitter never exceeds {@code chunkSize}
 * code points; the separator and recursive splitters exceed it only with a chunk that is one piece that
 * could not be split, i.e. with no separator inside it other than the one {@code keepSeparator} attaches
 * at its start or end. With {@code ""} among the recursive separators no chunk exceeds the size at all.
 *
 * <p>Coverage: every non-whitespace code point is in some chunk, except, with {@link KeepSeparator#NONE},
 * code points of separator matches (dropped between chunks by design).
 */
class LangChainSplitterProperties {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final List<String> SEPARATOR_POOL =
            List.of("\n\n", "\n", ". ", ".", " ", "。", "\u3000", "\t", "e", "😀", "");

    @Provide
    Arbitrary<String> texts() {
        return MixedUnicodeText.texts();
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(SEPARATOR_POOL);
    }

    @Provide
    Arbitrary<List<String>> separatorLists() {
        Arbitrary<List<String>> custom = Arbitraries.of(SEPARATOR_POOL).list().ofMinSize(1).ofMaxSize(5).uniqueElements();
        return Arbitraries.oneOf(Arbitraries.just(RecursiveSplitter.DEFAULT_SEPARATORS), custom);
    }

    @Provide
    Arbitrary<String> regexes() {
        return Arbitraries.of("\\s+", "[.!?。]", "(?<=\\.)", "(?=\\p{Lu})", "\\R", "e|😀", " ?, ?");
    }

    @Property(tries = 200)
    void characterSplitterWindowsAreSlicesWithinSizeCoveringAllText(
            @ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll @IntRange(min = 0, max = 1000) int overlapSeed) {
        int overlap = overlapSeed % size;
        List<Chunk> chunks = SplitterInvariants.splitWithin(CharacterSplitter.of(size, overlap), text, LIMIT);

        SliceChecks.assertExactSlicesInOrder(text, chunks, true);
        for (Chunk c : chunks) {
            assertThat(SliceChecks.codePoints(c.text())).as("chunk %d length", c.index()).isLessThanOrEqualTo(size);
        }
        SplitterInvariants.assertCoversNonWhitespace(text, chunks);
    }

    @Property(tries = 200)
    void separatorSplitterChunksAreSlicesWithinSizeUnlessOnePiece(
            @ForAll("texts") String text, @ForAll("separators") String separator, @ForAll KeepSeparator keep,
            @ForAll boolean strip, @ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll @IntRange(min = 0, max = 1000) int overlapSeed) {
        int overlap = overlapSeed % (size + 1);
        SeparatorSplitter splitter = SeparatorSplitter.builder().separator(separator).keepSeparator(keep)
                .stripWhitespace(strip).chunkSize(size).chunkOverlap(overlap).build();

        List<Chunk> chunks = SplitterInvariants.splitWithin(splitter, text, LIMIT);

        SliceChecks.assertExactSlicesInOrder(text, chunks, strip);
        assertOversizeChunksAreSinglePieces(text, chunks, size, List.of(separator), keep);
        assertCovered(text, chunks, keep == KeepSeparator.NONE ? literalMatches(text, List.of(separator)) : new boolean[text.length()]);
    }

    @Property(tries = 150)
    void separatorSplitterWithRegexCutsSlicesAndDropsOnlyMatches(
            @ForAll("texts") String text, @ForAll("regexes") String regex, @ForAll KeepSeparator keep,
            @ForAll boolean strip, @ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll @IntRange(min = 0, max = 1000) int overlapSeed) {
        int overlap = overlapSeed % (size + 1);
        SeparatorSplitter splitter = SeparatorSplitter.builder().separator(regex).separatorRegex(true).keepSeparator(keep)
                .stripWhitespace(strip).chunkSize(size).chunkOverlap(overlap).build();

        List<Chunk> chunks = SplitterInvariants.splitWithin(splitter, text, LIMIT);

        SliceChecks.assertExactSlicesInOrder(text, chunks, strip);
        boolean[] dropped = new boolean[text.length()];
        if (keep == KeepSeparator.NONE) {
            Matcher m = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS).matcher(text);
            while (m.find()) {
                for (int i = m.start(); i < m.end(); i++) {
                    dropped[i] = true;
                }
            }
        }
        assertCovered(text, chunks, dropped);
    }

    @Property(tries = 200)
    void recursiveSplitterChunksAreSlicesWithinSizeUnlessOnePiece(
            @ForAll("texts") String text, @ForAll("separatorLists") List<String> separators, @ForAll KeepSeparator keep,
            @ForAll boolean strip, @ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll @IntRange(min = 0, max = 1000) int overlapSeed) {
        int overlap = overlapSeed % (size + 1);
        RecursiveSplitter splitter = RecursiveSplitter.builder().separators(separators).keepSeparator(keep)
                .stripWhitespace(strip).chunkSize(size).chunkOverlap(overlap).build();

        List<Chunk> chunks = SplitterInvariants.splitWithin(splitter, text, LIMIT);

        SliceChecks.assertExactSlicesInOrder(text, chunks, strip);
        if (separators.contains("")) {
            for (Chunk c : chunks) {
                assertThat(SliceChecks.codePoints(c.text())).as("chunk %d length", c.index()).isLessThanOrEqualTo(size);
            }
        }
        assertOversizeChunksAreSinglePieces(text, chunks, size, separators, keep);
        assertCovered(text, chunks, keep == KeepSeparator.NONE ? literalMatches(text, separators) : new boolean[text.length()]);
    }

    @Property(tries = 60)
    void recursiveSplitterInTokensExceedsSizeOnlyWithOneCodePoint(
            @ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 30) int size,
            @ForAll @IntRange(min = 0, max = 1000) int overlapSeed) {
        LengthFunction tokens = LengthFunction.tokens("cl100k_base");
        int overlap = overlapSeed % (size + 1);
        RecursiveSplitter splitter = RecursiveSplitter.builder().lengthFunction(tokens).chunkSize(size).chunkOverlap(overlap).build();

        List<Chunk> chunks = SplitterInvariants.splitWithin(splitter, text, LIMIT);

        SliceChecks.assertExactSlicesInOrder(text, chunks, true);
        for (Chunk c : chunks) {
            if (tokens.length(c.text()) > size) {
                assertThat(SliceChecks.codePoints(c.text())).as("oversize chunk %d is one code point", c.index()).isEqualTo(1);
            }
        }
        SplitterInvariants.assertCoversNonWhitespace(text, chunks);
    }

    /**
     * A chunk longer than the size must be a single piece: no occurrence (leftmost, non-overlapping, as
     * the splitter finds them) of any separator inside it, except the kept one at its start or end.
     */
    private static void assertOversizeChunksAreSinglePieces(String text, List<Chunk> chunks, int size,
            List<String> separators, KeepSeparator keep) {
        for (Chunk c : chunks) {
            if (SliceChecks.codePoints(c.text()) <= size) {
                continue;
            }
            for (String sep : separators) {
                if (sep.isEmpty()) {
                    assertThat(c.text().codePointCount(0, c.text().length())).as("oversize chunk %d split by \"\"", c.index()).isEqualTo(1);
                    continue;
                }
                for (int at = text.indexOf(sep, c.start(), c.end()); at >= 0; at = text.indexOf(sep, at + sep.length(), c.end())) {
                    boolean keptAtStart = keep == KeepSeparator.START && at == c.start();
                    boolean keptAtEnd = keep == KeepSeparator.END && at + sep.length() == c.end();
                    assertThat(keptAtStart || keptAtEnd)
                            .as("oversize chunk %d %s contains separator %s at %d", c.index(), Splitters.quote(c.text()),
                                    Splitters.quote(sep), at)
                            .isTrue();
                }
            }
        }
    }

    /** Every non-whitespace code point is in a chunk unless marked dropped. */
    private static void assertCovered(String text, List<Chunk> chunks, boolean[] dropped) {
        boolean[] covered = new boolean[text.length()];
        for (Chunk c : chunks) {
            for (int i = c.start(); i < c.end(); i++) {
                covered[i] = true;
            }
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!Slices.isWhitespace(cp) && !dropped[i]) {
                assertThat(covered[i]).as("code point U+%04X at %d is in a chunk", cp, i).isTrue();
            }
            i += Character.charCount(cp);
        }
    }

    /** Marks every position inside any (possibly overlapping) occurrence of a non-empty separator. */
    private static boolean[] literalMatches(String text, List<String> separators) {
        boolean[] dropped = new boolean[text.length()];
        List<String> nonEmpty = new ArrayList<>(separators);
        nonEmpty.remove("");
        for (String sep : nonEmpty) {
            for (int at = text.indexOf(sep); at >= 0; at = text.indexOf(sep, at + 1)) {
                for (int i = at; i < at + sep.length(); i++) {
                    dropped[i] = true;
                }
            }
        }
        return dropped;
    }
}
