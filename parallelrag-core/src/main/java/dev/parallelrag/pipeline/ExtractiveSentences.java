package dev.parallelrag.pipeline;

import dev.parallelrag.split.SentenceSegmenter;
import dev.parallelrag.split.TextSpan;
import dev.parallelrag.store.SearchHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentences an extractive answer chooses from: the retrieved chunks cut with the splitters' own
 * {@link SentenceSegmenter}, with every piece of text quoted once. Overlapping chunks repeat text, and a chunk edge
 * can fall inside a sentence, so one chunk may hold a sentence whole while its neighbour holds only its head or
 * tail. Pieces of one document whose offsets overlap are therefore one sentence: a piece inside another is dropped,
 * and two pieces that each run past the other (a sentence longer than the chunk overlap, cut in both chunks) are
 * joined into the sentence they both belong to. A hit whose text is not its document's {@code [start, end)} (a
 * store that rewrites text) keeps its sentences as they are.
 */
final class ExtractiveSentences {

    /** Shorter pieces answer nothing on their own (list bullets, "See below."). */
    static final int MIN_SENTENCE_CHARS = 20;

    private ExtractiveSentences() {
    }

    /**
     * The candidate sentences of {@code hits}, taken in rank order until at least {@code limit} pieces are read,
     * then merged as the class comment says; at most {@code limit} of them, in the rank of the hit each starts in.
     */
    static List<SourceSentence> of(List<SearchHit> hits, int limit) {
        Map<String, List<SourceSentence>> byDocument = new LinkedHashMap<>();
        List<SourceSentence> unplaced = new ArrayList<>();
        int pieces = 0;
        for (int h = 0; h < hits.size() && pieces < limit; h++) {
            SearchHit hit = hits.get(h);
            boolean placed = hit.documentId() != null && hit.end() - hit.start() == hit.text().length();
            for (TextSpan span : SentenceSegmenter.spans(hit.text())) {
                SourceSentence s = new SourceSentence(hit, span.start(), span.text(hit.text()));
                (placed ? byDocument.computeIfAbsent(hit.documentId(), d -> new ArrayList<>()) : unplaced).add(s);
                pieces++;
            }
        }
        List<SourceSentence> out = new ArrayList<>();
        byDocument.values().forEach(sentences -> out.addAll(merged(sentences)));
        out.addAll(unplaced);
        Map<SearchHit, Integer> rank = new HashMap<>();
        for (int h = 0; h < hits.size(); h++) {
            rank.putIfAbsent(hits.get(h), h);
        }
        out.sort(Comparator.comparingInt(s -> rank.get(s.hit()))); // stable: document order within a hit
        List<SourceSentence> kept = out.stream().filter(s -> s.text().length() >= MIN_SENTENCE_CHARS).toList();
        return kept.size() > limit ? kept.subList(0, limit) : kept;
    }

    /** One document's pieces with overlapping ones merged, in document order. */
    private static List<SourceSentence> merged(List<SourceSentence> pieces) {
        List<SourceSentence> sorted = new ArrayList<>(pieces);
        // at equal starts the longer piece first, so that the shorter one is seen as inside it
        sorted.sort(Comparator.comparingInt(SourceSentence::documentStart)
                .thenComparing(Comparator.comparingInt(SourceSentence::documentEnd).reversed()));
        List<SourceSentence> out = new ArrayList<>();
        SourceSentence current = null;
        for (SourceSentence next : sorted) {
            if (current == null || next.documentStart() >= current.documentEnd()) {
                if (current != null) {
                    out.add(current);
                }
                current = next;
            } else if (next.documentEnd() > current.documentEnd()) {
                // both run past each other: the same document text, so the tail of next continues current
                String tail = next.text().substring(current.documentEnd() - next.documentStart());
                current = new SourceSentence(current.hit(), current.start(), current.text() + tail);
            } // else: next lies inside current, a fragment of it or the same sentence again
        }
        if (current != null) {
            out.add(current);
        }
        return out;
    }
}
