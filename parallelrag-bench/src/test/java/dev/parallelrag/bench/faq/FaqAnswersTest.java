package dev.parallelrag.bench.faq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Citation;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answer checks of the FAQ benchmark over the committed FAQ set ({@code data/faq}: the 24 answer pages and all
 * 293 questions; no distractors), ingested with the default splitter (1000 code points, overlap 200, so chunk
 * edges cut sentences). The embedder is the testkit's feature hashing, which needs no model files: the checks
 * are about which sentences an answer quotes and which sources it cites, not about retrieval quality, which
 * {@code scripts/bench-faq.sh} measures with the real models.
 */
class FaqAnswersTest {

    private static final FaqDataset SET = FaqDataset.load(Path.of("..", "data", "faq"));
    private static final EmbeddingModel HASHING = new HashingModel();

    @TempDir
    static Path work;
    private static Path index;

    @BeforeAll
    static void ingest() {
        index = work.resolve("index");
        try (ParallelRag rag = ParallelRag.builder(index).embeddingModel(HASHING).embeddingCache(false).build()) {
            assertThat(rag.ingest(List.of(SET.answersDirectory())).documentsFailed()).isZero();
        }
    }

    @AfterAll
    static void close() {
        HASHING.close();
    }

    @Test
    void noExtractiveAnswerOverTheFaqSetQuotesASentenceWithAFragmentOfIt() {
        try (ParallelRag rag = ParallelRag.builder(index).embeddingModel(HASHING).build()) {
            FaqAnswers.Report report = FaqAnswers.ask(rag, SET.questions(), SET);
            assertThat(report.questions()).isEqualTo(SET.questions().size());
            assertThat(report.withFragment()).isZero();
            assertThat(report.citations()).isEqualTo(3 * SET.questions().size()); // 3 sentences each, none dropped
            assertThat(report.passageCited()).isPositive();
            long overlapping = SET.questions().stream().filter(q -> overlap(rag.search(q.question()))).count();
            assertThat(overlapping).as("questions whose retrieved chunks overlap, where fragments could appear")
                    .isGreaterThan(SET.questions().size() / 10);
        }
    }

    @Test
    void theTestkitLlmCitesOnlyGivenSourcesUnlessTheQuestionMakesItCiteAnother() {
        try (FakeProviderServer server = FakeProviderServer.builder().start();
             LlmClient llm = Providers.llmClient(ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(server.openAiBaseUrl())
                     .apiKey("k").build(), "echo");
             ParallelRag rag = ParallelRag.builder(index).embeddingModel(HASHING).chatModel(llm).build()) {
            for (FaqQuestion q : SET.split(FaqDataset.TEST).subList(0, 20)) {
                // two sources keep the echoed prompt, question last, within the answer's default 1,024 tokens
                Answer asked = rag.ask(rag.query(q.question()).k(2).build());
                // the echo lists every source it was given ("[1] path ... [2] path"), so both are cited; quoted
                // code in a source ("x = [10]") can add a number of no source, which is dropped
                assertThat(asked.citations()).extracting(Citation::number).as(q.id()).containsExactly(1, 2);
                Answer invented = rag.ask(rag.query(q.question() + " See [424242].").k(2).build());
                assertThat(invented.text()).contains("[424242]");
                assertThat(invented.droppedCitations()).as(q.id()).isEqualTo(asked.droppedCitations() + 1);
                assertThat(invented.citations()).extracting(Citation::number).containsExactly(1, 2);
            }
        }
    }

    @Test
    void aSentenceAndItsFragmentAreFoundByOffsetsOrByText() {
        Citation whole = citation("a.txt", 10, 60, "The whole sentence is here, from start to end.");
        Citation tail = citation("a.txt", 40, 60, "start to end.");
        Citation again = citation("b.txt", 0, 47, "The whole  sentence is here, from start to END.");
        Citation other = citation("a.txt", 60, 90, "Another sentence follows it.");
        assertThat(FaqAnswers.holdsSentenceAndFragment(List.of(whole, tail))).isTrue();
        assertThat(FaqAnswers.holdsSentenceAndFragment(List.of(whole, again))).isTrue();
        assertThat(FaqAnswers.holdsSentenceAndFragment(List.of(whole, other))).isFalse();
    }

    @Test
    void aTextThatOccursInsideADifferentSentenceElsewhereIsNoFragment() {
        // the four answers the text-containment check flagged in the real-model FAQ run (all-minilm-l6-v2-q)
        String sockets = "python-docs/howto/sockets.txt";
        assertThat(FaqAnswers.holdsSentenceAndFragment(List.of( // q217: a heading, and a sentence of the intro
                citation(sockets, 14306, 14326, "Non-blocking Sockets"),
                citation(sockets, 781, 913, "I will try to clear up the mystery of what a socket is, as well as some "
                        + "hints on how to work with blocking and non-blocking sockets.")))).isFalse();
        String loop = "python-docs/library/asyncio-eventloop.txt";
        assertThat(FaqAnswers.holdsSentenceAndFragment(List.of( // q198: a code line, and a sentence naming the call
                citation(loop, 51162, 51186, "loop.add_signal_handler("),
                citation(loop, 50815, 50907, "Register handlers for signals SIGINT and SIGTERM using the "
                        + "loop.add_signal_handler() method:")))).isFalse();
        assertThat(FaqAnswers.holdsSentenceAndFragment(List.of( // q119: a sidebar heading, and another page citing it
                citation("debian-handbook/sect.apt-get.txt", 9177, 9214, "GOING FURTHER The cache of .deb files"),
                citation("debian-handbook/sect.apt-cache.txt", 998, 1212, "Similarly, /var/cache/apt/archives/ contains a "
                        + "cache of already downloaded packages (see sidebar GOING FURTHER The cache of .deb files) to "
                        + "avoid downloading them again if you need to reinstall them after a removal.")))).isFalse();
        assertThat(FaqAnswers.holdsSentenceAndFragment(List.of( // q087: a chapter heading, and the FAQ naming it
                citation("debian-reference/ch02.txt", 11, 36, "Debian package management"),
                citation("debian-faq/pkgtools.txt", 482, 599, "Debian package management of the Debian reference for "
                        + "more information about the Debian package management utilities.")))).isFalse();
    }

    private static Citation citation(String source, int start, int end, String text) {
        return new Citation(1, source, source + "#0", start, end, start, end, 1, 1, 0.5, text);
    }

    private static boolean overlap(List<SearchHit> hits) {
        return hits.stream().anyMatch(a -> hits.stream().anyMatch(b -> a != b && a.documentId().equals(b.documentId())
                && a.start() < b.end() && b.start() < a.end()));
    }

    /** The testkit's feature-hashing embedding as a local model: deterministic, and texts sharing words are near. */
    private static final class HashingModel implements EmbeddingModel {
        @Override
        public String modelId() {
            return "testkit/hashing-64";
        }

        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public int maxBatchSize() {
            return 256;
        }

        @Override
        public int maxBatchTokens() {
            return 1_000_000;
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            return texts.stream().map(t -> FakeContent.embedding(t, 64)).toList();
        }
    }
}
