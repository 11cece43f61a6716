package dev.parallelrag.lucene.eval;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.split.TextSplitter;
import java.nio.file.Path;
import java.util.List;

/** The fixed inputs of the SOTU retrieval evaluation, shared by the quality tests (Lucene, and pgvector against Lucene) and the tuning sweep. */
public final class SotuRetrievalBenchmark {

    static final Path CORPUS = Path.of("../data/sotu");
    public static final String QUESTIONS = "/retrieval/sotu-questions.tsv";
    static final String VECTORS = "/retrieval/sotu-vectors.bin.gz";
    /** Where {@code -Dparallelrag.eval.writeCache=true} writes the vector cache (relative to the module). */
    static final Path VECTORS_SOURCE = Path.of("src/test/resources/retrieval/sotu-vectors.bin.gz");

    /** 17 speeches the questions are about, then 6 distractors from neighbouring years with similar topics. */
    static final List<String> FILES = List.of(
            "1790_george_washington_n.txt", "1801_thomas_jefferson_dr.txt", "1823_james_monroe_dr.txt",
            "1862_abraham_lincoln_r.txt", "1918_woodrow_wilson_d.txt", "1934_franklin_d_roosevelt_d.txt",
            "1941_franklin_d_roosevelt_d.txt", "1947_harry_s_truman_d.txt", "1961_john_f_kennedy_d.txt",
            "1965_lyndon_b_johnson_d.txt", "1974_richard_nixon_r.txt", "1982_ronald_reagan_r.txt",
            "1996_william_j_clinton_d.txt", "2002_george_w_bush_r.txt", "2010_barack_obama_d.txt",
            "2020_donald_j_trump_r.txt", "2021_joseph_r_biden_d.txt",
            "1863_abraham_lincoln_r.txt", "1942_franklin_d_roosevelt_d.txt", "1962_john_f_kennedy_d.txt",
            "1997_william_j_clinton_d.txt", "2011_barack_obama_d.txt", "2019_donald_j_trump_r.txt");

    /** LangChain-compatible recursive splitter, 1000 code points with 200 overlap. */
    static TextSplitter splitter() {
        return Splitters.recursive(1000, 200);
    }

    public static RetrievalEvaluation evaluation(EmbeddingModel model) {
        return new RetrievalEvaluation(CORPUS, FILES, splitter(), model,
                VectorCache.load(VECTORS, model.modelId(), model.dimension()));
    }

    private SotuRetrievalBenchmark() {
    }
}
