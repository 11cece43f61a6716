package dev.parallelrag.pipeline;

import dev.parallelrag.store.SearchHit;

/**
 * A sentence an extractive answer can quote: {@code text} starts at {@code start} of {@code hit}'s text (UTF-16)
 * and may run on past that hit's end, when it was joined from two overlapping chunks; the citation points at the
 * chunk it starts in, with the document offsets and lines of the whole sentence.
 */
record SourceSentence(SearchHit hit, int start, String text) {

    /** Document offset of the first character. */
    int documentStart() {
        return hit.start() + start;
    }

    /** Document offset after the last character. */
    int documentEnd() {
        return documentStart() + text.length();
    }

    Citation citation(int number, double score) {
        String chunk = hit.text();
        int chunkCp = Rag.intMeta(hit, "cp_start", hit.start());
        int cpStart = chunkCp + chunk.codePointCount(0, start);
        int cpEnd = cpStart + text.codePointCount(0, text.length());
        int line = Rag.intMeta(hit, "line_start", 1);
        int lineStart = line + newlines(chunk, 0, start);
        int lineEnd = lineStart + newlines(text, 0, text.length());
        return new Citation(number, hit.source(), hit.chunkId(), documentStart(), documentEnd(), cpStart, cpEnd,
                lineStart, lineEnd, score, text);
    }

    private static int newlines(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
