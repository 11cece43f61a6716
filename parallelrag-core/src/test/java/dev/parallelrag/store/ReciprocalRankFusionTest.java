package dev.parallelrag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parallelrag.error.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

    private static SearchHit hit(String id, double score) {
        return new SearchHit(id, score, "d", "d.txt", 0, 1, id, "h", "m", Map.of());
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    @Test
    void scoresAreTheWeightedSumOfReciprocalRanks() {
        var vector = new ReciprocalRankFusion.RankedList(List.of(hit("a", 0.9), hit("b", 0.8), hit("c", 0.7)), 1.0);
        var keyword = new ReciprocalRankFusion.RankedList(List.of(hit("c", 12), hit("a", 9)), 1.0);

        List<SearchHit> fused = new ReciprocalRankFusion().fuse(List.of(vector, keyword), 10);

        assertThat(ids(fused)).containsExactly("a", "c", "b");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
    }

    @Test
    void weightsShiftTheBalanceAndZeroWeightIgnoresAList() {
        var vector = new ReciprocalRankFusion.RankedList(List.of(hit("v1", 1), hit("v2", 1)), 0.0);
        var keyword = new ReciprocalRankFusion.RankedList(List.of(hit("k1", 1), hit("v1", 1)), 1.0);

        assertThat(ids(new ReciprocalRankFusion().fuse(List.of(vector, keyword), 2))).containsExactly("k1", "v1");
    }

    @Test
    void truncatesToKAndBreaksTiesById() {
        var one = new ReciprocalRankFusion.RankedList(List.of(hit("z", 1)), 1.0);
        var two = new ReciprocalRankFusion.RankedList(List.of(hit("y", 1)), 1.0);

        assertThat(ids(new ReciprocalRankFusion(0).fuse(List.of(one, two), 1))).containsExactly("y");
    }

    @Test
    void rejectsNegativeConstantsAndWeights() {
        assertThatThrownBy(() -> new ReciprocalRankFusion(-1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new ReciprocalRankFusion.RankedList(List.of(), -0.5))
                .isInstanceOf(ValidationException.class).hasMessageContaining("rrf.weight");
        assertThatThrownBy(() -> new ReciprocalRankFusion.RankedList(List.of(), Double.NaN))
                .isInstanceOf(ValidationException.class);
    }
}
