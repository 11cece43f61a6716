package dev.parallelrag.bench.faq;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The FAQ retrieval benchmark: ingests the answer pages and the distractor pages into a fresh index with the
 * engine ({@link ParallelRag}, the model and splitter given), asks every question in vector, keyword and hybrid
 * mode, and prints recall@1, recall@5 and MRR@10 for the dev and the test half as a Markdown table. A hit is a
 * retrieved chunk of the question's answer page whose offsets overlap the answer passage. Then the fusion sweep
 * ({@link FusionSweep}): hybrid search at each keyword weight of {@code --keyword-weights}, the weight with the
 * best dev MRR@10 chosen, and its test figures. With {@code --answers true}, the answer reports
 * ({@link FaqAnswers}) over every question: the engine's extractive answer, then generated answers from the
 * testkit's loopback LLM ({@link FakeProviderServer}, which echoes its prompt).
 *
 * <p>Usage: {@code FaqBench --data data/faq --distractors DIR --index DIR [--model all-minilm-l6-v2]
 * [--chunk-size 1000 --chunk-overlap 200] [--keyword-weights 0.25,0.5,0.75,1,1.5,2] [--answers false]}. Run it
 * through {@code scripts/bench-faq.sh}, which builds the distractors from the recorded Debian packages first.
 */
public final class FaqBench {

    private static final List<SearchMode> MODES = List.of(SearchMode.VECTOR, SearchMode.KEYWORD, SearchMode.HYBRID);
    private static final String KEYWORD_WEIGHTS = "0.25,0.5,0.75,1,1.5,2";

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
            sweep(rag, data, model, opts.getOrDefault("keyword-weights", KEYWORD_WEIGHTS));
            if (Boolean.parseBoolean(opts.getOrDefault("answers", "false"))) {
                System.out.println();
                System.out.println(FaqAnswers.HEADER);
                System.out.println(FaqAnswers.ask(rag, data.questions(), data).line(model + " extractive", true));
            }
        }
        if (Boolean.parseBoolean(opts.getOrDefault("answers", "false"))) {
            try (FakeProviderServer llmServer = FakeProviderServer.builder().start();
                 LlmClient llm = Providers.llmClient(ProviderConfig.builder(ProviderKind.OPENAI)
                         .baseUrl(llmServer.openAiBaseUrl()).apiKey("faq-bench").build(), "testkit-echo");
                 ParallelRag generated = ParallelRag.builder(index).chatModel(llm).build()) {
                System.out.println(FaqAnswers.ask(generated, data.questions(), data).line(model + " testkit LLM", false));
            }
        }
    }

    /** Hybrid search at each keyword weight; the one with the best dev MRR@10 (then recall@5) is chosen. */
    private static void sweep(ParallelRag rag, FaqDataset data, String model, String weights) {
        FusionSweep dev = new FusionSweep(rag, data.split(FaqDataset.DEV));
        FusionSweep test = new FusionSweep(rag, data.split(FaqDataset.TEST));
        List<Double> grid = Arrays.stream(weights.split(",")).map(String::strip).map(Double::parseDouble).toList();
        List<FaqScores> devScores = grid.stream().map(w -> dev.scores(w, data)).toList();
        int best = IntStream.range(0, grid.size()).boxed()
                .max(Comparator.<Integer>comparingDouble(i -> devScores.get(i).mrrAt10())
                        .thenComparingDouble(i -> devScores.get(i).recallAt5())).orElseThrow();
        System.out.println();
        System.out.println("| model | keyword weight (vector 1) | dev recall@1 | dev recall@5 | dev MRR@10 | test recall@1 | test recall@5 | test MRR@10 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < grid.size(); i++) {
            System.out.printf(Locale.ROOT, "| %s | %s%s | %s | %s |%n", model, grid.get(i), i == best ? " (chosen on dev)" : "",
                    devScores.get(i).cells(), test.scores(grid.get(i), data).cells());
        }
    }

    /** The 1-based rank of the first hit that overlaps the answer passage, 0 when none does. */
    static int firstRelevantRank(FaqQuestion q, List<SearchHit> hits, FaqDataset data) {
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            if (data.inAnswerPassage(q, h.documentId(), h.start(), h.end())) {
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
