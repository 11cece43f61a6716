package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.StoredChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each {@link LuceneStoreConfig} setting of hybrid search, the HNSW graph and writing, set away from its
 * default, changes what the store returns or writes. Rows of docs/configuration.md name these.
 */
class LuceneSettingsTest {

    @TempDir
    Path dir;

    private static StoredChunk chunk(String id, String text, float... vector) {
        return new StoredChunk(id, "d", "d.txt", 0, text.length(), text, "h-" + id, "m", Map.of(), vector);
    }

    /**
     * For the query "tariff" toward (1, 0, 0): "vec" is the nearest vector and holds no tariff; "kw" is the best
     * keyword hit and points away; "both" is second in both lists; the fillers sit between in vector order.
     */
    private static List<StoredChunk> corpus() {
        List<StoredChunk> chunks = new ArrayList<>();
        chunks.add(chunk("vec", "Ships and dry docks for the navy.", 1, 0, 0));
        chunks.add(chunk("kw", "Tariff, tariff: the tariff on wool.", -1, 0, 0));
        chunks.add(chunk("both", "A word on the tariff among other matters of the session.", 0.95f, 0.3f, 0));
        for (int i = 0; i < 10; i++) {
            chunks.add(chunk("filler" + i, "Report number " + i + " of the postal service.", 0.5f, 0.5f + i / 10f, 0.2f));
        }
        return chunks;
    }

    private LuceneVectorStore store(LuceneStoreConfig.Builder config) {
        LuceneVectorStore store = LuceneVectorStore.open(config.build());
        store.upsert(corpus());
        store.commit();
        return store;
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    private static final float[] QUERY = {1, 0, 0};

    @Test
    void rankConstantIsTheKOfReciprocalRankFusion() {
        try (LuceneVectorStore store = store(LuceneStoreConfig.builder(dir.resolve("rrf")).rankConstant(10))) {
            SearchHit top = store.search(SearchRequest.hybrid("tariff", QUERY, 3)).get(0);
            assertThat(top.chunkId()).isEqualTo("both");
            assertThat(top.score()).as("second in both lists").isEqualTo(1.0 / 12 + 1.0 / 12);
        }
    }

    @Test
    void hybridCandidatesIsHowDeepEachListIsFused() {
        try (LuceneVectorStore deep = store(LuceneStoreConfig.builder(dir.resolve("deep")));
             LuceneVectorStore shallow = store(LuceneStoreConfig.builder(dir.resolve("shallow")).hybridCandidates(1))) {
            assertThat(ids(deep.search(SearchRequest.hybrid("tariff", QUERY, 1)))).containsExactly("both");
            // one candidate from each list: "both", second in each, is never seen
            assertThat(ids(shallow.search(SearchRequest.hybrid("tariff", QUERY, 1)))).containsAnyOf("vec", "kw")
                    .doesNotContain("both");
        }
    }

    @Test
    void vectorWeightZeroMakesHybridTheKeywordOrder() {
        try (LuceneVectorStore store = store(LuceneStoreConfig.builder(dir.resolve("kwonly")).vectorWeight(0))) {
            assertThat(ids(store.search(SearchRequest.hybrid("tariff", QUERY, 2))))
                    .containsExactlyElementsOf(ids(store.search(SearchRequest.keyword("tariff", 2))));
        }
    }

    /** The HNSW graph of a one-segment store of 500 seeded random vectors: its degree bound and level-0 neighbours. */
    private record Graph(int maxConn, List<List<Integer>> neighbours) {
    }

    private static Graph graphOf(LuceneStoreConfig config) throws IOException {
        Random random = new Random(11);
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            float[] v = new float[16];
            for (int d = 0; d < v.length; d++) {
                v[d] = random.nextFloat() - 0.5f;
            }
            chunks.add(chunk(String.format("c%03d", i), "text " + i, v));
        }
        try (LuceneVectorStore store = LuceneVectorStore.open(config)) {
            store.upsert(chunks);
            store.commit();
        }
        try (FSDirectory d = FSDirectory.open(config.directory()); DirectoryReader reader = DirectoryReader.open(d)) {
            assertThat(reader.leaves()).as("one segment").hasSize(1);
            KnnVectorsReader vectors = ((CodecReader) reader.leaves().get(0).reader()).getVectorReader();
            if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
                vectors = perField.getFieldReader(ChunkDocuments.VECTOR);
            }
            HnswGraph graph = ((HnswGraphProvider) vectors).getGraph(ChunkDocuments.VECTOR);
            List<List<Integer>> neighbours = new ArrayList<>();
            for (int node = 0; node < graph.size(); node++) {
                graph.seek(0, node);
                List<Integer> list = new ArrayList<>();
                for (int n = graph.nextNeighbor(); n != DocIdSetIterator.NO_MORE_DOCS; n = graph.nextNeighbor()) {
                    list.add(n);
                }
                neighbours.add(list);
            }
            return new Graph(graph.maxConn(), neighbours);
        }
    }

    @Test
    void hnswMaxConnIsTheDegreeOfTheGraph() throws IOException {
        Graph standard = graphOf(LuceneStoreConfig.builder(dir.resolve("m16")).build());
        Graph sparse = graphOf(LuceneStoreConfig.builder(dir.resolve("m4")).hnswMaxConn(4).build());

        assertThat(standard.maxConn()).isEqualTo(16);
        assertThat(sparse.maxConn()).isEqualTo(4);
        // level 0 keeps up to twice M neighbours per node
        assertThat(sparse.neighbours()).allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(8));
        assertThat(standard.neighbours()).anySatisfy(n -> assertThat(n).hasSizeGreaterThan(8));
    }

    @Test
    void hnswBeamWidthChangesHowTheGraphIsBuilt() throws IOException {
        // graph construction is seeded, so the same vectors build the same graph unless the beam differs
        Graph wide = graphOf(LuceneStoreConfig.builder(dir.resolve("beam100")).build());
        Graph again = graphOf(LuceneStoreConfig.builder(dir.resolve("beam100-again")).build());
        Graph narrow = graphOf(LuceneStoreConfig.builder(dir.resolve("beam2")).hnswBeamWidth(2).build());

        assertThat(again.neighbours()).as("construction is repeatable").isEqualTo(wide.neighbours());
        assertThat(narrow.neighbours()).isNotEqualTo(wide.neighbours());
    }

    @Test
    void vectorCandidatesIsHowWideTheGraphSearchLooks() {
        // a sparse graph (degree 2) searched for the nearest of 3,000 vectors: a candidate list of one follows
        // the graph greedily and stops short more often than the default list of 100
        Random random = new Random(5);
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            chunks.add(chunk(String.format("v%04d", i), "vector " + i, randomVector(random)));
        }
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            queries.add(randomVector(random));
        }
        double narrow = recallAtOne(LuceneStoreConfig.builder(dir.resolve("vc1")).hnswMaxConn(2).vectorCandidates(1), chunks, queries);
        double wide = recallAtOne(LuceneStoreConfig.builder(dir.resolve("vc100")).hnswMaxConn(2), chunks, queries);
        assertThat(wide).as("recall@1 with 100 candidates vs 1").isGreaterThan(narrow);
    }

    private static float[] randomVector(Random random) {
        float[] v = new float[16];
        for (int d = 0; d < v.length; d++) {
            v[d] = random.nextFloat() - 0.5f;
        }
        return v;
    }

    /** The share of queries whose top hit is the exact nearest chunk by cosine. */
    private static double recallAtOne(LuceneStoreConfig.Builder config, List<StoredChunk> chunks, List<float[]> queries) {
        int found = 0;
        try (LuceneVectorStore store = LuceneVectorStore.open(config.build())) {
            store.upsert(chunks);
            store.commit();
            for (float[] q : queries) {
                String exact = chunks.stream().max(java.util.Comparator.comparingDouble(c -> cosine(q, c.vector())))
                        .orElseThrow().id();
                if (store.search(q, 1).get(0).chunkId().equals(exact)) {
                    found++;
                }
            }
        }
        return found / (double) queries.size();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void ramBufferMbIsHowMuchIsBufferedBeforeASegmentIsWritten() throws IOException {
        assertThat(segmentsAfterWriting(LuceneStoreConfig.builder(dir.resolve("big"))))
                .as("default 64 MB: everything in one segment").isEqualTo(1);
        assertThat(segmentsAfterWriting(LuceneStoreConfig.builder(dir.resolve("small")).ramBufferMb(1)))
                .as("1 MB: flushed several times").isGreaterThan(1);
    }

    private static int segmentsAfterWriting(LuceneStoreConfig.Builder config) throws IOException {
        LuceneStoreConfig c = config.build();
        Random random = new Random(7);
        String paragraph = "The report of the secretary on the state of the finances of the union. ".repeat(30);
        try (LuceneVectorStore store = LuceneVectorStore.open(c)) {
            for (int batch = 0; batch < 8; batch++) {
                List<StoredChunk> chunks = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    float[] v = new float[64];
                    for (int d = 0; d < v.length; d++) {
                        v[d] = random.nextFloat() - 0.5f;
                    }
                    chunks.add(chunk("c" + batch + "-" + i, paragraph + batch + " " + i, v));
                }
                store.upsert(chunks);
            }
            store.commit();
        }
        try (FSDirectory d = FSDirectory.open(c.directory())) {
            return SegmentInfos.readLatestCommit(d).size();
        }
    }
}
