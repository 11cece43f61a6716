package dev.parallelrag.bench.faq;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The FAQ retrieval benchmark: ingests the answer pages and the distractor pages into a fresh index with the
 * engine ({@link ParallelRag}, the model and splitter given), asks every question in vector, keyword and hybrid
 * mode, and prints recall@1, recall@5 and MRR@10 for the dev and the test half as a Markdown table. A hit is a
 * retrieved chunk of the question's answer page whose offsets overlap the answer passage.
 *
 * <p>Usage: {@code FaqBench --data data/faq --distractors DIR --index DIR [--model all-minilm-l6-v2]
 * [--chunk-size 1000 --chunk-overlap 200]}. Run it through {@code scripts/bench-faq.sh}, which builds the
 * distractors from the recorded Debian packages first.
 */
public final class FaqBench {

    private static final List<SearchMode> MODES = List.of(SearchMode.VECTOR, SearchMode.KEYWORD, SearchMode.HYBRID);

    private FaqBench() {
    }

    public static void main(String[] args) {
        Map<String, String> opts = options(args);
        FaqDataset data = FaqDataset.load(Path.of(require(opts, "data")));
        Path distractors = Path.of(require(opts, "distractors"));
        Path index = Path.of(require(opts, "index"));
        String model = opts.getOrDefault("model", "all-minilm-l6-v2");
        SplitterSpec.Builder splitter = SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE);
        if (opts.containsKey("chunk-size")) {
            splitter.chunkSize(Integer.parseInt(opts.get("chunk-size")));
        }
        if (opts.containsKey("chunk-overlap")) {
            splitter.chunkOverlap(Integer.parseInt(opts.get("chunk-overlap")));
        }
        SplitterSpec spec = splitter.build();

        Map<String, String> distractorPages = FaqDataset.readTexts(distractors);
        List<String> problems = data.problems(distractorPages);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the FAQ set is broken: " + String.join("; ", problems));
        }
        long chars = data.pages().values().stream().mapToLong(String::length).sum()
                + distractorPages.values().stream().mapToLong(String::length).sum();
        try (ParallelRag rag = ParallelRag.builder(index).rebuild(true).embedder("local", model).splitter(spec)
                .build()) {
            IngestSummary ingest = rag.ingest(List.of(data.answersDirectory(), distractors));
            if (ingest.documentsFailed() > 0 || ingest.chunksFailed() > 0) {
                throw new IllegalStateException("ingest failed: " + ingest.failures());
            }
            System.out.printf(Locale.ROOT, "# model %s, splitter %s %d/%d, %d pages, %d chars, %d chunks, ingest %.1f s%n",
                    model, spec.kind().id(), spec.chunkSize(), spec.chunkOverlap(), ingest.files(), chars,
                    rag.stats().chunks(), ingest.wallTime().toMillis() / 1000.0);
            System.out.println("| model | mode | split | questions | recall@1 | recall@5 | MRR@10 |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (SearchMode mode : MODES) {
                for (String split : List.of(FaqDataset.DEV, FaqDataset.TEST)) {
                    List<Integer> ranks = new ArrayList<>();
                    for (FaqQuestion q : data.split(split)) {
                        ranks.add(firstRelevantRank(q, rag.search(q.question(), FaqScores.DEPTH, mode), data));
                    }
                    FaqScores s = FaqScores.of(ranks);
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s |%n", model, mode.wireName(), split,
                            s.questions(), s.cells());
                }
            }
        }
    }

    /** The 1-based rank of the first hit that overlaps the answer passage, 0 when none does. */
    static int firstRelevantRank(FaqQuestion q, List<SearchHit> hits, FaqDataset data) {
        Path answers = data.answersDirectory().toAbsolutePath().normalize();
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            Path source = Path.of(h.documentId()).toAbsolutePath().normalize();
            if (source.startsWith(answers)
                    && q.answeredBy(answers.relativize(source).toString().replace('\\', '/'), h.start(), h.end())) {
                return i + 1;
            }
        }
        return 0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required; see the class comment for usage");
        }
        return v;
    }
}
