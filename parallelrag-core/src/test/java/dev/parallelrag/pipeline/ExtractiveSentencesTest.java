package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.store.SearchHit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chunks that overlap, cut inside sentences, give each sentence once, whole. */
class ExtractiveSentencesTest {

    private static final String DOC = "Alpha sentence opens the page here. "                       // [0, 35)
            + "Dr. Watson wrote the second sentence, which is rather long and runs on past the cut. " // [36, 120)
            + "The third sentence closes the page.";                                                   // [121, 156)

    private static SearchHit hit(String id, String document, int start, int end) {
        return new SearchHit(id, 1.0, document, document + ".txt", start, end, DOC.substring(start, end), "", "m",
                Map.of());
    }

    private static List<String> texts(List<SourceSentence> sentences) {
        return sentences.stream().map(SourceSentence::text).toList();
    }

    @Test
    void aChunkThatStartsInsideASentenceAddsNoFragmentOfIt() {
        int cut = DOC.indexOf("which is"); // the second chunk starts mid-sentence
        List<SourceSentence> s = ExtractiveSentences.of(List.of(hit("a", "d", 0, DOC.length()), hit("b", "d", cut,
                DOC.length())), 200);
        assertThat(texts(s)).containsExactly("Alpha sentence opens the page here.",
                "Dr. Watson wrote the second sentence, which is rather long and runs on past the cut.",
                "The third sentence closes the page.");
    }

    @Test
    void aChunkThatEndsInsideASentenceAddsNoFragmentOfIt() {
        int cut = DOC.indexOf(" rather"); // the first chunk ends mid-sentence; the second holds the sentence whole
        List<SourceSentence> s = ExtractiveSentences.of(List.of(hit("a", "d", 0, cut), hit("b", "d", 36,
                DOC.length())), 200);
        assertThat(texts(s)).containsExactly("Alpha sentence opens the page here.",
                "Dr. Watson wrote the second sentence, which is rather long and runs on past the cut.",
                "The third sentence closes the page.");
        assertThat(s.get(1).hit().chunkId()).isEqualTo("b");
    }

    @Test
    void aSentenceCutInBothOverlappingChunksIsJoinedAndCitedWithItsDocumentOffsets() {
        int end = DOC.indexOf(" runs on");   // chunk a: [0, end), ends inside sentence 2
        int start = DOC.indexOf("second");   // chunk b: [start, length), starts inside it, overlaps a
        List<SourceSentence> s = ExtractiveSentences.of(List.of(hit("b", "d", start, DOC.length()), hit("a", "d", 0,
                end)), 200);
        String whole = "Dr. Watson wrote the second sentence, which is rather long and runs on past the cut.";
        assertThat(texts(s)).containsExactlyInAnyOrder("Alpha sentence opens the page here.", whole,
                "The third sentence closes the page.");
        Citation c = s.stream().filter(x -> x.text().equals(whole)).findFirst().orElseThrow().citation(1, 0.5);
        assertThat(DOC.substring(c.start(), c.end())).isEqualTo(whole);
        assertThat(c.chunkId()).isEqualTo("a"); // the chunk it starts in
        assertThat(c.cpEnd() - c.cpStart()).isEqualTo(whole.length());
    }

    @Test
    void theSameOffsetsInAnotherDocumentAreAnotherSentence() {
        List<SourceSentence> s = ExtractiveSentences.of(List.of(hit("a", "d1", 0, 35), hit("b", "d2", 0, 35)), 200);
        assertThat(s).hasSize(2).extracting(x -> x.hit().documentId()).containsExactly("d1", "d2");
    }

    @Test
    void sentencesAreCutByTheSplittersSegmenterAndKeepTheOrderOfTheirHits() {
        List<SourceSentence> s = ExtractiveSentences.of(List.of(hit("b", "d", 121, DOC.length()), hit("a", "d", 0,
                120)), 200);
        // "Dr." does not end a sentence for the project's segmenter; the bare ICU iterator cut it there
        assertThat(texts(s)).containsExactly("The third sentence closes the page.", "Alpha sentence opens the page here.",
                "Dr. Watson wrote the second sentence, which is rather long and runs on past the cut.");
    }

    @Test
    void aHitWhoseTextIsNotItsSpanKeepsItsSentencesAsTheyAre() {
        SearchHit rewritten = new SearchHit("r", 1.0, "d", "d.txt", 0, 10, "A rewritten sentence of the hit. And more text.",
                "", "m", Map.of());
        assertThat(texts(ExtractiveSentences.of(List.of(rewritten, hit("a", "d", 0, 35)), 200)))
                .containsExactly("A rewritten sentence of the hit.", "Alpha sentence opens the page here.");
    }

    @Test
    void piecesShorterThanTheMinimumAreLeftOutAndTheLimitHolds() {
        SearchHit shortOnes = new SearchHit("s", 1.0, "e", "e.txt", 0, 33, "Yes. No. Maybe so. A longer sentence.",
                "", "m", Map.of());
        assertThat(texts(ExtractiveSentences.of(List.of(shortOnes), 200))).isEmpty();
        assertThat(ExtractiveSentences.of(List.of(hit("a", "d", 0, DOC.length())), 2)).hasSize(2);
    }
}
