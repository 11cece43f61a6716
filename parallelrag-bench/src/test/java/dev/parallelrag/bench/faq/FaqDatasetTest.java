package dev.parallelrag.bench.faq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The committed FAQ set is sound; these checks read {@code data/faq} and ingest nothing. */
class FaqDatasetTest {

    private static final Path DATA = Path.of("..", "data", "faq");
    private static final FaqDataset SET = FaqDataset.load(DATA);

    @Test
    void committedSetHasNoProblems() {
        assertThat(SET.problems(Map.of())).isEmpty();
        assertThat(SET.questions()).hasSizeGreaterThanOrEqualTo(FaqDataset.MIN_QUESTIONS);
    }

    @Test
    void everyAnswerPassageIsInItsPage() {
        for (FaqQuestion q : SET.questions()) {
            String page = SET.pages().get(q.document());
            assertThat(page).as(q.id()).isNotNull();
            assertThat(q.end()).as(q.id()).isLessThanOrEqualTo(page.length());
            assertThat(SET.passage(q)).as(q.id()).isNotBlank().hasSizeGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void noQuestionHeadingIsLeftInTheIndexedPages() {
        for (String page : SET.pages().values()) {
            for (FaqQuestion q : SET.questions()) {
                assertThat(page).as(q.id() + " in " + q.document()).doesNotContain(q.question());
            }
        }
    }

    @Test
    void devAndTestAreDisjointHalves() {
        List<FaqQuestion> dev = SET.split(FaqDataset.DEV);
        List<FaqQuestion> test = SET.split(FaqDataset.TEST);
        assertThat(dev.size() + test.size()).isEqualTo(SET.questions().size());
        assertThat(Math.abs(dev.size() - test.size())).isLessThanOrEqualTo(1);
        Set<String> devIds = new HashSet<>(dev.stream().map(FaqQuestion::id).toList());
        assertThat(test).noneMatch(q -> devIds.contains(q.id()));
        Set<String> devTexts = new HashSet<>(dev.stream().map(FaqQuestion::question).toList());
        assertThat(test).noneMatch(q -> devTexts.contains(q.question()));
    }

    @Test
    void bothFaqsContributeAndEachPackageIsPinnedBySha256WithItsLicence() throws IOException {
        assertThat(SET.questions()).anyMatch(q -> q.document().startsWith("debian-faq/"))
                .anyMatch(q -> q.document().startsWith("python-faq/"));
        JsonNode sources = new ObjectMapper().readTree(DATA.resolve("sources.json").toFile());
        assertThat(sources.get("questions").asInt()).isEqualTo(SET.questions().size());
        assertThat(sources.get("debs")).hasSize(5).allSatisfy(d -> assertThat(d.get("sha256").asText()).matches("[0-9a-f]{64}"));
        for (String licence : List.of("debian-faq", "python3.11-doc", "debian-reference", "debian-handbook")) {
            assertThat(Files.readString(DATA.resolve("LICENSES").resolve(licence + ".copyright"))).isNotBlank();
        }
    }

    @Test
    void problemsFindsAQuestionLeftInADistractorAndASpanOutsideItsPage() throws IOException {
        FaqQuestion first = SET.questions().getFirst();
        assertThat(SET.problems(Map.of("debian-reference/ch01.txt", "See " + first.question() + " for more.")))
                .containsExactly(first.id() + ": question text left in indexed page debian-reference/ch01.txt");

        Path copy = Files.createTempDirectory("faq");
        Files.writeString(copy.resolve("questions.jsonl"), new ObjectMapper().writeValueAsString(
                new FaqQuestion("q000", first.question(), first.document(), 0, Integer.MAX_VALUE, "dev")));
        Path page = copy.resolve("answers").resolve(first.document());
        Files.createDirectories(page.getParent());
        Files.writeString(page, SET.pages().get(first.document()));
        assertThat(FaqDataset.load(copy).problems(Map.of())).contains(
                "1 questions, fewer than 150",
                "q000: span [0, " + Integer.MAX_VALUE + ") outside " + first.document(),
                "a split is empty: 1 dev, 0 test");
    }

    @Test
    void aHitCountsOnlyWhenItOverlapsTheAnswerInItsPage() {
        FaqQuestion q = new FaqQuestion("q", "Why?", "debian-faq/a.txt", 100, 200, "dev");
        assertThat(q.answeredBy("debian-faq/a.txt", 150, 250)).isTrue();
        assertThat(q.answeredBy("debian-faq/a.txt", 0, 101)).isTrue();
        assertThat(q.answeredBy("debian-faq/a.txt", 0, 100)).isFalse();
        assertThat(q.answeredBy("debian-faq/a.txt", 200, 300)).isFalse();
        assertThat(q.answeredBy("debian-faq/b.txt", 150, 250)).isFalse();
    }

    @Test
    void scoresFollowTheirDefinitions() {
        FaqScores s = FaqScores.of(List.of(1, 3, 7, 0));
        assertThat(s.recallAt1()).isEqualTo(0.25);
        assertThat(s.recallAt5()).isEqualTo(0.5);
        assertThat(s.mrrAt10()).isCloseTo((1 + 1.0 / 3 + 1.0 / 7) / 4, org.assertj.core.data.Offset.offset(1e-12));
    }
}
