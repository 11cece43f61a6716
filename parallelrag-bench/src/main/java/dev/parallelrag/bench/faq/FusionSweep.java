package dev.parallelrag.bench.faq;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.store.ReciprocalRankFusion;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Hybrid search with other fusion weights, without re-indexing: each question's vector and BM25 lists are fetched
 * once, {@link #CANDIDATES} deep (the Lucene store's default {@code hybridCandidates}), and fused with the store's
 * own {@link ReciprocalRankFusion} (k = 60) at every keyword weight, the vector weight staying 1. At weight 1 this
 * is exactly the store's hybrid search, which {@link FaqBench} prints beside it.
 */
final class FusionSweep {

    /** Hits taken from each list before fusing, as the Lucene store does by default. */
    static final int CANDIDATES = 50;

    private final ReciprocalRankFusion fusion = new ReciprocalRankFusion();
    private final List<FaqQuestion> questions;
    private final List<List<SearchHit>> vector = new ArrayList<>();
    private final List<List<SearchHit>> keyword = new ArrayList<>();

    FusionSweep(ParallelRag rag, List<FaqQuestion> questions) {
        this.questions = List.copyOf(questions);
        for (FaqQuestion q : questions) {
            vector.add(rag.search(q.question(), CANDIDATES, SearchMode.VECTOR));
            keyword.add(rag.search(q.question(), CANDIDATES, SearchMode.KEYWORD));
        }
    }

    /** Scores of RRF with weights 1 (vector) and {@code keywordWeight} (BM25) over the questions. */
    FaqScores scores(double keywordWeight, FaqDataset data) {
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            List<SearchHit> fused = fusion.fuse(List.of(new ReciprocalRankFusion.RankedList(vector.get(i), 1.0),
                    new ReciprocalRankFusion.RankedList(keyword.get(i), keywordWeight)), FaqScores.DEPTH);
            ranks.add(FaqBench.firstRelevantRank(questions.get(i), fused, data));
        }
        return FaqScores.of(ranks);
    }
}
