package dev.parallelrag.store;

import dev.parallelrag.error.ValidationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each ranked list contributes
 * {@code weight / (rankConstant + rank)} to a hit's score (rank starting at 1), and hits are
 * re-ranked by the sum. It needs no score calibration between lists, which is why it suits
 * fusing cosine similarities with BM25 scores.
 *
 * @param rankConstant the {@code k} of the paper; 60 by default
 */
public record ReciprocalRankFusion(int rankConstant) {

    /** The constant used by the paper and by most search engines. */
    public static final int DEFAULT_RANK_CONSTANT = 60;

    public ReciprocalRankFusion {
        if (rankConstant < 0) {
            throw new ValidationException("rrf.rankConstant", rankConstant, "must be >= 0 (60 is the usual value)");
        }
    }

    public ReciprocalRankFusion() {
        this(DEFAULT_RANK_CONSTANT);
    }

    /** One ranked list (best first) and its weight. */
    public record RankedList(List<SearchHit> hits, double weight) {
        public RankedList {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new ValidationException("rrf.weight", weight, "must be a finite number >= 0");
            }
            hits = List.copyOf(hits);
        }
    }

    /**
     * Fuses the lists; returns at most {@code k} hits, best first, each carrying its fused score.
     * Ties are broken by chunk id so the output is deterministic. A hit's fields are taken from
     * the first list that contains it.
     */
    public List<SearchHit> fuse(List<RankedList> lists, int k) {
        Map<String, SearchHit> first = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RankedList list : lists) {
            int rank = 0;
            for (SearchHit hit : list.hits()) {
                rank++;
                first.putIfAbsent(hit.chunkId(), hit);
                scores.merge(hit.chunkId(), list.weight() / (rankConstant + rank), Double::sum);
            }
        }
        List<SearchHit> fused = new ArrayList<>(scores.size());
        scores.forEach((id, score) -> fused.add(first.get(id).withScore(score)));
        fused.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId));
        return fused.size() > k ? List.copyOf(fused.subList(0, k)) : List.copyOf(fused);
    }
}
