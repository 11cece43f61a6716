package dev.parallelrag.bench.faq;

/**
 * One FAQ question and where its answer is.
 *
 * @param id       stable id ({@code q000}...)
 * @param question the FAQ entry's heading, which the corpus no longer holds
 * @param document the answer page, relative to {@code data/faq/answers}
 * @param start    inclusive UTF-16 offset of the answer passage in that page
 * @param end      exclusive UTF-16 offset of the answer passage
 * @param split    {@code dev} (for tuning) or {@code test} (for reporting)
 */
public record FaqQuestion(String id, String question, String document, int start, int end, String split) {

    /** True when the chunk {@code [chunkStart, chunkEnd)} of {@code document} shares a character with the answer. */
    public boolean answeredBy(String chunkDocument, int chunkStart, int chunkEnd) {
        return document.equals(chunkDocument) && chunkStart < end && start < chunkEnd;
    }
}
