package dev.parallelrag.bench.faq;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Citation;
import java.util.List;
import java.util.Locale;

/**
 * The answer reports of the FAQ set (issue 14, "Answer quality"): every question asked through the engine, and
 * per answer whether it cites the question's answer passage, whether it quotes a sentence together with a
 * fragment of it, and how many citation numbers were dropped as naming no given source.
 */
final class FaqAnswers {

    private FaqAnswers() {
    }

    /**
     * What the answers to a set of questions add up to.
     *
     * @param questions        questions asked
     * @param passageCited     answers with a citation that overlaps the question's answer passage
     * @param withFragment     extractive answers holding a sentence and a fragment (or another overlapping piece) of it,
     *                         or one text twice
     * @param citations        citations kept in all answers
     * @param dropped          citation numbers dropped in all answers, as naming no source the model was given
     * @param answersDropping  answers with at least one dropped number
     */
    record Report(int questions, int passageCited, int withFragment, int citations, int dropped, int answersDropping) {

        /** Kept citations among all numbers returned; 1 when no number was returned at all. */
        double citationValidity() {
            return citations + dropped == 0 ? 1.0 : citations / (double) (citations + dropped);
        }

        /** A table row; {@code withFragment} only for extractive answers, whose citations are sentences. */
        String line(String label, boolean extractive) {
            return String.format(Locale.ROOT, "| %s | %d | %.3f | %s | %d | %d | %.4f |", label, questions,
                    passageCited / (double) questions, extractive ? Integer.toString(withFragment) : "n/a (chunks)",
                    citations, dropped, citationValidity());
        }
    }

    static final String HEADER = "| answers | questions | answer passage cited | with a sentence and its fragment "
            + "| citations | dropped | citation validity |\n|---|---|---|---|---|---|---|";

    /** Asks every question of {@code questions} with {@code rag} (extractive without a chat model, else generated). */
    static Report ask(ParallelRag rag, List<FaqQuestion> questions, FaqDataset data) {
        int cited = 0;
        int fragments = 0;
        int citations = 0;
        int dropped = 0;
        int dropping = 0;
        for (FaqQuestion q : questions) {
            Answer a = rag.ask(q.question());
            cited += citesPassage(q, a.citations(), data) ? 1 : 0;
            if (a.mode() == Answer.Mode.EXTRACTIVE && holdsSentenceAndFragment(a.citations())) {
                fragments++;
                // the log (stderr) names each flagged answer, so that it can be examined
                System.err.println("flagged answer " + q.id() + ": " + q.question());
                a.citations().forEach(c -> System.err.println("  [" + c.number() + "] " + c.source() + " "
                        + c.start() + "-" + c.end() + ": " + c.text().replace("\n", "\\n")));
            }
            citations += a.citations().size();
            dropped += a.droppedCitations();
            dropping += a.droppedCitations() > 0 ? 1 : 0;
        }
        return new Report(questions.size(), cited, fragments, citations, dropped, dropping);
    }

    /** Whether a citation points into the question's answer passage. */
    static boolean citesPassage(FaqQuestion q, List<Citation> citations, FaqDataset data) {
        return citations.stream().anyMatch(c -> data.inAnswerPassage(q, c.source(), c.start(), c.end()));
    }

    /**
     * Whether two citations quote the same text twice, whole or in part: the same source with overlapping offsets
     * (a sentence and a fragment of it, or the sentence twice), or the same text (whitespace collapsed, case
     * ignored) from two places. Judged from the citations alone, not from how the answer was made. A text that
     * merely occurs inside another citation's sentence elsewhere is a different sentence, not a fragment: a heading
     * and a sentence that names it ("Non-blocking Sockets" and "... blocking and non-blocking sockets.", FAQ
     * question q217), a code line and the sentence that mentions the call, or another page's heading.
     */
    static boolean holdsSentenceAndFragment(List<Citation> citations) {
        for (int i = 0; i < citations.size(); i++) {
            for (int j = i + 1; j < citations.size(); j++) {
                Citation a = citations.get(i);
                Citation b = citations.get(j);
                if (a.source().equals(b.source()) && a.start() < b.end() && b.start() < a.end()) {
                    return true;
                }
                String ta = normal(a.text());
                String tb = normal(b.text());
                if (ta.equals(tb)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String normal(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
