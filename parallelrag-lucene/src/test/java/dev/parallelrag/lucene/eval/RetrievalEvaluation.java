package dev.parallelrag.lucene.eval;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.split.TextSplitter;
import dev.parallelrag.store.HybridSearchable;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an index (Lucene, or any hybrid store: the pgvector parity test uses it too) from a set of files, then asks every question in every search mode and
 * scores the rankings: recall@5 (share of questions with an answer-bearing chunk in the top 5) and
 * MRR@10 (mean of 1/rank of the first answer-bearing chunk, 0 when it is not in the top 10).
 *
 * <p>A chunk bears the answer when it comes from the question's source file and its offsets
 * overlap an occurrence of the question's answer substring in that file.
 */
public final class RetrievalEvaluation {

    static final int RECALL_AT = 5;
    static final int MRR_AT = 10;
    private static final int EMBED_BATCH = 32;
    /** Cached vectors re-embedded live to check the cache still matches the model. */
    private static final int SAMPLE = 8;

    /** Scores of one mode. */
    public record ModeScores(SearchMode mode, double recallAt5, double mrrAt10, List<Integer> firstRelevantRanks) {
        String row() {
            return String.format(Locale.ROOT, "| %-7s | %.3f | %.3f |", mode.wireName(), recallAt5, mrrAt10);
        }
    }

    /** Scores of all modes plus what was indexed. */
    public record Report(int files, int chunks, int questions, Map<SearchMode, ModeScores> scores) {
        public ModeScores of(SearchMode mode) {
            return scores.get(mode);
        }

        public String table() {
            StringBuilder b = new StringBuilder("| mode    | recall@5 | MRR@10 |\n|---------|----------|--------|\n");
            for (SearchMode m : List.of(SearchMode.HYBRID, SearchMode.VECTOR, SearchMode.KEYWORD)) {
                b.append(scores.get(m).row()).append('\n');
            }
            return b.toString();
        }
    }

    private final Path corpusDir;
    private final List<String> files;
    private final TextSplitter splitter;
    private final EmbeddingModel model;
    private final VectorCache cache;
    private int embeddedLive;
    private int fromCache;
    private double minSampleCosine = Double.NaN;

    RetrievalEvaluation(Path corpusDir, List<String> files, TextSplitter splitter, EmbeddingModel model,
            VectorCache cache) {
        this.corpusDir = corpusDir;
        this.files = List.copyOf(files);
        this.splitter = splitter;
        this.model = model;
        this.cache = cache;
    }

    /** The cache, including anything embedded live during {@link #index}. */
    VectorCache cache() {
        return cache;
    }

    /** Chunks embedded with the live model during {@link #index}. */
    public int embeddedLive() {
        return embeddedLive;
    }

    /** Chunk vectors taken from the cache during {@link #index}. */
    public int fromCache() {
        return fromCache;
    }

    /** Lowest cosine between a cached vector and the live model's vector for the same text (NaN if none sampled). */
    double minSampleCosine() {
        return minSampleCosine;
    }

    private String read(String file) {
        try {
            return Files.readString(corpusDir.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indexes the corpus into {@code store} (one batch, one commit: deterministic). */
    public int index(VectorStore store) {
        List<Chunk> chunks = new ArrayList<>();
        for (String file : files) {
            chunks.addAll(splitter.split(new Document(file, read(file))));
        }
        List<float[]> vectors = chunkVectors(chunks.stream().map(Chunk::text).toList());
        List<StoredChunk> stored = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            stored.add(new StoredChunk(c.documentId() + "#" + c.index(), c.documentId(), c.documentId(), c.start(),
                    c.end(), c.text(), Integer.toHexString(c.text().hashCode()), model.modelId(), Map.of(),
                    vectors.get(i)));
        }
        store.upsert(stored);
        store.commit();
        return stored.size();
    }

    /**
     * Vectors for chunk texts: from the cache where present (after checking a sample of cached
     * entries against the live model), else embedded live and added to the cache.
     */
    private List<float[]> chunkVectors(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        List<Integer> missing = new ArrayList<>();
        List<Integer> cached = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float[] v = cache.get(texts.get(i));
            out.add(v);
            (v == null ? missing : cached).add(i);
        }
        if (!cached.isEmpty()) {
            int step = Math.max(1, cached.size() / SAMPLE);
            List<Integer> sample = new ArrayList<>();
            for (int j = 0; j < cached.size() && sample.size() < SAMPLE; j += step) {
                sample.add(cached.get(j));
            }
            List<float[]> live = embed(sample.stream().map(texts::get).toList());
            double min = 1.0;
            for (int j = 0; j < sample.size(); j++) {
                min = Math.min(min, dev.parallelrag.store.Vectors.cosine(live.get(j), out.get(sample.get(j))));
            }
            minSampleCosine = min;
        }
        List<float[]> fresh = embed(missing.stream().map(texts::get).toList());
        for (int j = 0; j < missing.size(); j++) {
            int i = missing.get(j);
            // use the rounded copy, so that a run that fills the cache ranks exactly like later runs
            out.set(i, cache.put(texts.get(i), fresh.get(j)));
        }
        embeddedLive = missing.size();
        fromCache = cached.size();
        return out;
    }

    private List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i += EMBED_BATCH) {
            out.addAll(model.embedBatch(texts.subList(i, Math.min(texts.size(), i + EMBED_BATCH))));
        }
        return out;
    }

    /** Runs every question in every mode against an index built by {@link #index}. */
    public Report evaluate(HybridSearchable store, int chunkCount, List<EvalQuestion> questions) {
        Map<String, String> texts = new HashMap<>();
        List<float[]> queryVectors = embed(questions.stream().map(EvalQuestion::question).toList());
        Map<SearchMode, ModeScores> scores = new EnumMap<>(SearchMode.class);
        for (SearchMode mode : SearchMode.values()) {
            List<Integer> ranks = new ArrayList<>();
            int found = 0;
            double rr = 0;
            for (int q = 0; q < questions.size(); q++) {
                EvalQuestion question = questions.get(q);
                String text = texts.computeIfAbsent(question.source(), this::read);
                List<SearchHit> hits = store.search(new SearchRequest(mode, question.question(),
                        queryVectors.get(q), MRR_AT, null));
                int rank = firstRelevantRank(hits, question, text);
                ranks.add(rank);
                if (rank > 0 && rank <= RECALL_AT) {
                    found++;
                }
                if (rank > 0) {
                    rr += 1.0 / rank;
                }
            }
            scores.put(mode, new ModeScores(mode, (double) found / questions.size(), rr / questions.size(),
                    List.copyOf(ranks)));
        }
        return new Report(files.size(), chunkCount, questions.size(), scores);
    }

    /** 1-based rank of the first hit overlapping an occurrence of the answer, or 0 if none. */
    static int firstRelevantRank(List<SearchHit> hits, EvalQuestion question, String sourceText) {
        for (int r = 0; r < hits.size(); r++) {
            SearchHit h = hits.get(r);
            if (!h.source().equals(question.source())) {
                continue;
            }
            for (int at = sourceText.indexOf(question.answer()); at >= 0;
                    at = sourceText.indexOf(question.answer(), at + 1)) {
                if (h.start() < at + question.answer().length() && h.end() > at) {
                    return r + 1;
                }
            }
        }
        return 0;
    }
}
