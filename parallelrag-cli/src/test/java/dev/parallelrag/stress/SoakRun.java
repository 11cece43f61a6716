package dev.parallelrag.stress;

import dev.parallelrag.engine.IngestOptions;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The soak's JVM: for a given duration, one thread ingests (rewriting a tenth of a 120-file corpus each round,
 * so the index stays the same size while every round embeds, replaces and deletes chunks), two threads search
 * (hybrid: each search embeds its query), and one thread completes batches of 64 prompts, all through the library
 * against a {@link FakeProviderServer} in this JVM that fails 2 % of requests. Every 5 s it samples itself
 * ({@link SoakSample}) into {@code soak-samples.csv}. Every answer is checked (search hits found, each completion
 * the testkit's answer to its own prompt); anything wrong counts as an error.
 *
 * <p>Exit 0 when the work stopped cleanly at the end, 1 when a worker did not stop within a minute (a hang), 2 for
 * bad arguments. The judgement of the samples is {@link SoakTest}'s.
 */
public final class SoakRun {

    static final String SAMPLES_FILE = "soak-samples.csv";
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final int FILES = 120;
    private static final int REWRITTEN_PER_ROUND = 12;
    private static final int PROMPTS_PER_BATCH = 64;
    /** Pause between searches: the soak is a steady load, not a CPU benchmark on a shared machine. */
    private static final Duration SEARCH_PAUSE = Duration.ofMillis(20);
    private static final int MAX_ERRORS_KEPT = 20;

    private final Path out;
    private final AtomicLong ingests = new AtomicLong();
    private final AtomicLong searches = new AtomicLong();
    private final AtomicLong completions = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Queue<String> errorMessages = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;

    private SoakRun(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SoakRun DURATION OUT_DIR   (DURATION in ISO-8601, e.g. PT60S or PT10M)");
            System.exit(2);
        }
        System.exit(new SoakRun(Files.createDirectories(Path.of(args[1]))).run(Duration.parse(args[0])));
    }

    private int run(Duration duration) throws Exception {
        Path work = out.resolve("work");
        deleteTree(work);
        Path corpus = Files.createDirectories(work.resolve("corpus"));
        GeneratedText text = new GeneratedText(20261201L);
        for (int f = 0; f < FILES; f++) {
            writeDocument(text, corpus, f, 0);
        }
        // recordLimit 0: the server's request log would otherwise grow with the run and hide a leak of ours
        try (FakeProviderServer server = FakeProviderServer.builder().dimension(64).recordLimit(0)
                .latency(Latency.uniform(Duration.ofMillis(2), Duration.ofMillis(20), 11))
                .faults(FaultPlan.rate(0.02, 13, Fault.status(500), Fault.status(503), Fault.connectionReset(),
                        Fault.rateLimited(1)))
                .start()) {
            Map<String, String> env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "sk-soak");
            ResilienceConfig resilience = ResilienceConfig.builder().maxAttempts(6).initialBackoff(Duration.ofMillis(50))
                    .maxBackoff(Duration.ofSeconds(1)).build();
            ProviderConfig openAi = ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(server.openAiBaseUrl())
                    .apiKey("sk-soak").build();
            int exit;
            try (LlmClient llm = LlmClient.builder(Providers.chatModel(openAi, "gpt-4o-mini")).resilience(resilience).build();
                 ParallelRag rag = ParallelRag.builder(work.resolve("index")).embedder("openai", "text-embedding-3-small")
                         .environment(env::get).embeddingCache(false).embedderResilience(resilience).build()) {
                ingestRound(rag, corpus); // the searches need an index
                List<Thread> workers = List.of(
                        worker("soak-ingest", () -> ingestLoop(rag, corpus)),
                        worker("soak-search-1", () -> searchLoop(rag, 1)),
                        worker("soak-search-2", () -> searchLoop(rag, 2)),
                        worker("soak-complete", () -> completeLoop(llm)));
                sample(duration);
                stopping = true;
                exit = 0;
                for (Thread w : workers) {
                    w.join(Duration.ofMinutes(1));
                    if (w.isAlive()) {
                        System.out.println("HUNG: " + w.getName() + " did not stop within a minute of the end");
                        exit = 1;
                    }
                }
            }
            System.out.printf("soak %s: %d ingest rounds, %d searches, %d completions, %d errors%n", duration,
                    ingests.get(), searches.get(), completions.get(), errors.get());
            errorMessages.forEach(m -> System.out.println("ERROR: " + m));
            deleteTree(work);
            return exit;
        }
    }

    private void sample(Duration duration) throws IOException, InterruptedException {
        long start = System.nanoTime();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve(SAMPLES_FILE), StandardCharsets.UTF_8))) {
            csv.println(SoakSample.CSV_HEADER);
            for (long n = 0; ; n++) {
                long due = start + n * SAMPLE_EVERY.toNanos();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                csv.println(new SoakSample(seconds, rssKb(), heapAfterGc(), ManagementFactory.getThreadMXBean().getThreadCount(),
                        openFileDescriptors(), ingests.get(), searches.get(), completions.get(), errors.get()).csv());
                csv.flush();
                if (n * SAMPLE_EVERY.toNanos() >= duration.toNanos()) {
                    return;
                }
            }
        }
    }

    private void ingestLoop(ParallelRag rag, Path corpus) throws IOException {
        GeneratedText text = new GeneratedText(7);
        for (int round = 1; !stopping; round++) {
            for (int i = 0; i < REWRITTEN_PER_ROUND; i++) {
                writeDocument(text, corpus, text.nextInt(FILES), round);
            }
            ingestRound(rag, corpus);
        }
    }

    private void ingestRound(ParallelRag rag, Path corpus) {
        IngestSummary summary = rag.ingest(List.of(corpus), IngestOptions.builder().prune(true).build());
        if (summary.allSucceeded() && summary.files() == FILES) {
            ingests.incrementAndGet();
        } else {
            error("ingest round " + ingests.get() + ": " + summary.toText());
        }
    }

    private void searchLoop(ParallelRag rag, long seed) throws InterruptedException {
        GeneratedText text = new GeneratedText(seed);
        while (!stopping) {
            String query = text.word() + " " + text.word() + " " + text.word();
            List<SearchHit> hits = rag.search(query);
            if (hits.size() == 5) {
                searches.incrementAndGet();
            } else {
                error("search '" + query + "' found " + hits.size() + " of 5 hits");
            }
            Thread.sleep(SEARCH_PAUSE);
        }
    }

    private void completeLoop(LlmClient llm) {
        GeneratedText text = new GeneratedText(3);
        CompletionOptions options = CompletionOptions.builder().concurrency(16).build();
        for (long batch = 0; !stopping; batch++) {
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < PROMPTS_PER_BATCH; i++) {
                prompts.add("batch " + batch + " prompt " + i + ": " + text.sentence(8));
            }
            List<Outcome<Completion>> outcomes = llm.completeBatch(prompts, options);
            for (int i = 0; i < prompts.size(); i++) {
                Outcome<Completion> o = outcomes.get(i);
                if (o instanceof Outcome.Success<Completion> s && s.value().content().equals(FakeContent.answer(prompts.get(i)))) {
                    completions.incrementAndGet();
                } else {
                    error("prompt '" + prompts.get(i) + "': " + (o instanceof Outcome.Failure<Completion> f
                            ? f.error().toString() : "answered " + ((Outcome.Success<Completion>) o).value().content()));
                }
            }
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private Thread worker(String name, Work work) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                work.run();
            } catch (Exception | Error e) {
                error(name + " stopped: " + e);
            }
        });
    }

    private void error(String message) {
        errors.incrementAndGet();
        if (errorMessages.size() < MAX_ERRORS_KEPT) {
            errorMessages.add(message);
        }
    }

    private static void writeDocument(GeneratedText text, Path corpus, int file, int round) throws IOException {
        Files.writeString(corpus.resolve(GeneratedText.fileName(file)),
                text.document("Document " + file + " of round " + round, 8 + text.nextInt(12)));
    }

    /** Heap in use right after a full collection: what the heap pools held once the collector was done. */
    private static long heapAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP && pool.isValid() ? pool.getCollectionUsage() : null;
            used += afterGc == null ? 0 : afterGc.getUsed();
        }
        return used;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("/proc/self/status has no VmRSS line");
    }

    /** Open descriptors, counting the one this listing holds open. */
    private static int openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
