package dev.parallelrag.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.store.StoredChunk;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticCorpusTest {

    private final SyntheticCorpus corpus = new SyntheticCorpus(384, 42);
    private final List<StoredChunk> chunks = corpus.chunks(2000);

    @Test
    void theSameSeedGivesTheSameRowsAndQueries() {
        SyntheticCorpus again = new SyntheticCorpus(384, 42);
        assertThat(again.chunk(1234).vector()).containsExactly(chunks.get(1234).vector());
        assertThat(again.chunk(1234).text()).isEqualTo(chunks.get(1234).text());
        assertThat(again.queries(3, 7)[2]).containsExactly(corpus.queries(3, 7)[2]);
        assertThat(new SyntheticCorpus(384, 43).chunk(5).vector()).isNotEqualTo(chunks.get(5).vector());
    }

    @Test
    void vectorsAreUnitLengthAndClusteredAsDocumented() {
        for (StoredChunk c : chunks.subList(0, 50)) {
            assertThat(Math.sqrt(dot(c.vector(), c.vector()))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
        // among 20,000 chunks (~20 per sub-topic) the nearest other one is of the same sub-topic (cosine ~0.8);
        // a random pair is near 0
        float[] first = chunks.getFirst().vector();
        double nearest = IntStream.range(1, 20_000).mapToDouble(i -> dot(first, corpus.chunk(i).vector())).max()
                .orElseThrow();
        assertThat(nearest).isBetween(0.7, 0.9);
        double mean = IntStream.range(0, 500).mapToDouble(i -> dot(chunks.get(i).vector(),
                chunks.get(i + 1000).vector())).average().orElseThrow();
        assertThat(mean).isBetween(-0.05, 0.1);
    }

    @Test
    void oneBucketHoldsOnePercentOfTheRows() {
        long inBucket = chunks.stream().filter(c -> c.metadata().get("bucket").equals("b07")).count();
        assertThat(inBucket).isEqualTo(chunks.size() / 100);
        assertThat(chunks.get(107).metadata()).containsEntry("bucket", "b07");
        assertThat(chunks.get(0).id()).isEqualTo(SyntheticCorpus.id(0)).hasSize(36);
    }

    @Test
    void truthIsTheTenBestByCosineWithinTheFilter() {
        float[] query = corpus.queries(1, 7)[0];
        Set<String> expected = chunks.stream().sorted(Comparator.comparingDouble(c -> -dot(query, c.vector())))
                .limit(10).map(StoredChunk::id).collect(Collectors.toSet());
        assertThat(PgQueryBench.truth(chunks, query, null)).isEqualTo(expected);

        Set<String> filtered = PgQueryBench.truth(chunks, query, "b03");
        Set<String> expectedFiltered = IntStream.range(0, chunks.size()).filter(i -> i % 100 == 3)
                .mapToObj(chunks::get).sorted(Comparator.comparingDouble(c -> -dot(query, c.vector()))).limit(10)
                .map(StoredChunk::id).collect(Collectors.toSet());
        assertThat(filtered).hasSize(10).isEqualTo(expectedFiltered);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
