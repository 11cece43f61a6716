package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentenceSplitterTest {

    private static List<String> sentences(String text) {
        return SentenceSegmenter.sentences(text).stream().map(s -> text.substring(s[0], s[1])).toList();
    }

    private static List<Chunk> split(SentenceSplitter splitter, String text) {
        List<Chunk> chunks = splitter.split(new Document("d", text));
        SplitterInvariants.assertExactSlicesInOrder(text, chunks);
        SplitterInvariants.assertCoversNonWhitespace(text, chunks);
        return chunks;
    }

    @Test
    void titleAbbreviationDoesNotEndASentence() {
        assertThat(sentences("Dr. Smith arrived. He was late. Prof. Xu stayed."))
                .containsExactly("Dr. Smith arrived.", "He was late.", "Prof. Xu stayed.");
    }

    @Test
    void latinAbbreviationsDoNotEndASentence() {
        assertThat(sentences("Use tools, e.g. hammers, i.e. heavy ones. Then stop."))
                .containsExactly("Use tools, e.g. hammers, i.e. heavy ones.", "Then stop.");
    }

    @Test
    void initialismsBeforeALowerCaseWordDoNotEndASentence() {
        assertThat(sentences("The U.S. economy grew. Mr. Jones met Mrs. Smith at 5 p.m. yesterday. Fine."))
                .containsExactly("The U.S. economy grew.", "Mr. Jones met Mrs. Smith at 5 p.m. yesterday.", "Fine.");
    }

    @Test
    void decimalsDoNotEndASentence() {
        assertThat(sentences("Growth was 3.5 percent. It cost $12.50 in 1.2.3 steps. Done."))
                .containsExactly("Growth was 3.5 percent.", "It cost $12.50 in 1.2.3 steps.", "Done.");
    }

    @Test
    void ellipsesEndASentenceOnlyBeforeANewSentence() {
        assertThat(sentences("Wait... what? Really... Yes. He paused… and went on."))
                .containsExactly("Wait... what?", "Really...", "Yes.", "He paused… and went on.");
    }

    @Test
    void closingQuotesStayWithTheirSentence() {
        assertThat(sentences("He said \"Stop.\" Then he left. “Go now!” she said. ‘Why?’ OK."))
                .containsExactly("He said \"Stop.\"", "Then he left.", "“Go now!” she said.", "‘Why?’", "OK.");
    }

    @Test
    void cjkSentenceEndsNeedNoSpace() {
        assertThat(sentences("東京は大きい。大阪も大きい！本当？はい。"))
                .containsExactly("東京は大きい。", "大阪も大きい！", "本当？", "はい。");
    }

    @Test
    void linesWithoutPunctuationAreSeparateSentencesAndBlankLinesVanish() {
        assertThat(sentences("Title\n\n  first line\nSecond. \n\n"))
                .containsExactly("Title", "first line", "Second.");
    }

    @Test
    void wholeSentencesArePackedWithTrailingSentencesAsOverlap() {
        String text = "One. Two. Three. Four. Five.";
        List<Chunk> chunks = split(SentenceSplitter.of(15, 5), text);
        assertThat(chunks).extracting(Chunk::text).containsExactly("One. Two.", "Two. Three.", "Four. Five.");
    }

    @Test
    void withoutOverlapEachSentenceAppearsOnce() {
        String text = "One. Two. Three. Four. Five.";
        assertThat(split(SentenceSplitter.of(10, 0), text)).extracting(Chunk::text)
                .containsExactly("One. Two.", "Three.", "Four.", "Five."); // "Four. Five." is 11
    }

    @Test
    void aSentenceLongerThanTheSizeIsCutAndNeighboursStayWhole() {
        String longSentence = "This sentence is far too long to fit in a single small chunk of text.";
        String text = "Short one. " + longSentence + " Tail.";
        List<Chunk> chunks = split(SentenceSplitter.of(20, 4), text);

        assertThat(chunks.getFirst().text()).isEqualTo("Short one.");
        assertThat(chunks.getLast().text()).isEqualTo("Tail.");
        List<Chunk> pieces = chunks.subList(1, chunks.size() - 1);
        assertThat(pieces).hasSizeGreaterThan(3);
        int sentenceStart = text.indexOf(longSentence);
        for (Chunk piece : pieces) {
            assertThat(piece.text().codePointCount(0, piece.text().length())).isLessThanOrEqualTo(20);
            assertThat(piece.start()).isGreaterThanOrEqualTo(sentenceStart);
            assertThat(piece.end()).isLessThanOrEqualTo(sentenceStart + longSentence.length());
        }
    }

    @Test
    void tokenLengthBoundsChunksInTokens() {
        String text = "The committee met on Tuesday. It discussed the budget at length. Nobody agreed. "
                + "A vote was scheduled for next week. Everyone went home tired.";
        SentenceSplitter splitter = SentenceSplitter.builder().tokens("cl100k_base").chunkSize(12).chunkOverlap(5).build();
        LengthFunction tokens = LengthFunction.tokens("cl100k_base");

        List<Chunk> chunks = split(splitter, text);

        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks).allSatisfy(c -> assertThat(tokens.length(c.text())).isLessThanOrEqualTo(12));
        assertThat(splitter.toString()).contains("cl100k_base tokens");
    }

    @ParameterizedTest
    @CsvSource({"10,1", "10,2"})
    void chunkySentenceTerminatesWithBoundedChunks(int size, int overlap) {
        String text = "My name is Chunky. And this is a sentence.";
        List<Chunk> chunks = split(SentenceSplitter.of(size, overlap), text);
        assertThat(chunks).isNotEmpty();
        assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(size));
    }

    @Test
    void emptyAndWhitespaceOnlyTextGiveNoChunks() {
        assertThat(SentenceSplitter.of(10, 0).split(new Document("d", ""))).isEmpty();
        assertThat(SentenceSplitter.of(10, 0).split(new Document("d", " \n\u3000\t"))).isEmpty();
    }

    @Test
    void invalidSizesAreRejected() {
        assertThatThrownBy(() -> SentenceSplitter.of(-1, 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("chunkSize = -1");
        assertThatThrownBy(() -> SentenceSplitter.of(5, 7))
                .isInstanceOf(ValidationException.class).hasMessageContaining("chunkOverlap = 7");
    }

    @Test
    void unknownEncodingIsRejected() {
        assertThatThrownBy(() -> SentenceSplitter.builder().tokens("bogus_base"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("bogus_base");
    }
}
