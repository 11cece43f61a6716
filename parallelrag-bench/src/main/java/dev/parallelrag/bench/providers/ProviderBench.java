package dev.parallelrag.bench.providers;

import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Latency;
import dev.parallelrag.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Provider-call benchmark (Must show 3 of the providers issue), a harness rather than a test: LlmClient against the
 * loopback testkit with 200 ms simulated latency.
 *
 * <ul>
 *   <li>{@code parallel}: 1,000 completions at concurrency 64: one warm-up run, then {@code repeats} timed runs;
 *       median and spread of wall time, ratio to the ideal 1,000 x 0.2 s / 64 = 3.125 s. Sequential peer in the
 *       same JVM: {@code sample} completions one after another (repeated), extrapolated to 1,000 and divided by
 *       the parallel median for the speedup.</li>
 *   <li>{@code ratelimit}: the testkit enforces 600 requests per minute (sliding window); the client is configured
 *       with the same requests-per-minute limit and concurrency 64; {@code n} completions; sustained throughput
 *       = n / wall time, compared with the limit; server-side 429s and client-side permanent failures counted.</li>
 * </ul>
 * Usage: {@code ProviderBench parallel [repeats] [sample]} or {@code ProviderBench ratelimit [n] [clientRpm]}.
 */
public final class ProviderBench {

    private static final Duration LATENCY = Duration.ofMillis(200);
    private static final int CONCURRENCY = 64;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "parallel";
        System.out.println("# machine: " + Runtime.getRuntime().availableProcessors() + " cores, JDK "
                + Runtime.version() + ", load average " + loadAverage());
        switch (mode) {
            case "parallel" -> parallel(args.length > 1 ? Integer.parseInt(args[1]) : 5,
                    args.length > 2 ? Integer.parseInt(args[2]) : 25);
            case "ratelimit" -> rateLimited(args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 600);
            default -> throw new IllegalArgumentException("mode must be parallel or ratelimit, got " + mode);
        }
    }

    static void parallel(int repeats, int sample) {
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(LATENCY)).start();
             LlmClient llm = client(server, ResilienceConfig.builder().attemptTimeout(Duration.ofSeconds(60)).build())) {
            List<String> prompts = prompts(1000);
            CompletionOptions options = CompletionOptions.builder().concurrency(CONCURRENCY).maxTokens(64).build();
            double ideal = 1000 * LATENCY.toMillis() / 1000.0 / CONCURRENCY;

            timedBatch(llm, prompts, options); // warm-up: JIT, connection pool
            double[] walls = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                server.reset();
                walls[r] = timedBatch(llm, prompts, options);
                System.out.printf(Locale.ROOT, "parallel run %d: %.3f s, server max in flight %d, load %s%n", r + 1,
                        walls[r], server.maxInFlight(), loadAverage());
            }
            double[] seqPerItem = new double[3];
            for (int r = 0; r < seqPerItem.length; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < sample; i++) {
                    check(llm.completeFull(prompts.get(i), options), prompts.get(i));
                }
                seqPerItem[r] = (System.nanoTime() - start) / 1e9 / sample;
                System.out.printf(Locale.ROOT, "sequential run %d: %d items, %.1f ms per item%n", r + 1, sample,
                        seqPerItem[r] * 1000);
            }
            double median = median(walls);
            double seq1000 = median(seqPerItem) * 1000;
            System.out.printf(Locale.ROOT, "RESULT parallel: 1000 completions at concurrency %d, latency %d ms: median %.3f s "
                            + "(min %.3f, max %.3f, %d runs after 1 warm-up); ideal %.3f s; ratio %.3f (target <= 1.3)%n",
                    CONCURRENCY, LATENCY.toMillis(), median, min(walls), max(walls), repeats, ideal, median / ideal);
            System.out.printf(Locale.ROOT, "RESULT sequential: %.1f ms per item (median of 3 runs of %d items; min %.1f, max %.1f), "
                            + "extrapolated to 1000 items: %.1f s; speedup %.1fx (target >= 45)%n",
                    median(seqPerItem) * 1000, sample, min(seqPerItem) * 1000, max(seqPerItem) * 1000, seq1000,
                    seq1000 / median);
            System.out.println("client stats: " + llm.stats());
        }
    }

    static void rateLimited(int n, int clientRpm) {
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(LATENCY)).rateLimit(600, 0)
                .recordLimit(n * 4).start();
             LlmClient llm = client(server, ResilienceConfig.builder().attemptTimeout(Duration.ofSeconds(60))
                     .requestsPerMinute(clientRpm).build())) {
            List<String> prompts = prompts(n);
            CompletionOptions options = CompletionOptions.builder().concurrency(CONCURRENCY).maxTokens(64).build();
            long start = System.nanoTime();
            List<Outcome<Completion>> results = llm.completeBatch(prompts, options);
            double wall = (System.nanoTime() - start) / 1e9;
            int ok = verify(results, prompts);
            List<RecordedRequest> log = server.requests();
            long limited = log.stream().filter(r -> r.outcome().equals("rate_limited")).count();
            double perMinute = ok / wall * 60;
            System.out.printf(Locale.ROOT, "RESULT ratelimit: server limit 600 rpm (sliding 60 s window), client rpm %s, "
                            + "concurrency %d, latency %d ms: %d requests in %.1f s = %.1f rpm sustained (%.1f%% of the limit); "
                            + "succeeded %d, failed for good %d; server 429s %d; load %s%n",
                    clientRpm == 0 ? "off" : String.valueOf(clientRpm), CONCURRENCY, LATENCY.toMillis(), n, wall,
                    perMinute, perMinute / 6.0, ok, n - ok, limited, loadAverage());
            System.out.println("client stats: " + llm.stats());
        }
    }

    private static LlmClient client(FakeProviderServer server, ResilienceConfig resilience) {
        ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(server.openAiBaseUrl())
                .apiKey("bench-key").environment(name -> null).build();
        return LlmClient.builder(Providers.chatModel(config, "bench-model")).resilience(resilience)
                .defaultConcurrency(CONCURRENCY).build();
    }

    private static double timedBatch(LlmClient llm, List<String> prompts, CompletionOptions options) {
        long start = System.nanoTime();
        List<Outcome<Completion>> results = llm.completeBatch(prompts, options);
        double wall = (System.nanoTime() - start) / 1e9;
        int ok = verify(results, prompts);
        if (ok != prompts.size()) {
            throw new IllegalStateException((prompts.size() - ok) + " completions failed; the figure would be invalid");
        }
        return wall;
    }

    /** Counts successes whose text is exactly the testkit's answer for that prompt (so order is checked too). */
    private static int verify(List<Outcome<Completion>> results, List<String> prompts) {
        int ok = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof Outcome.Success<Completion> s) {
                check(s.value(), prompts.get(i));
                ok++;
            }
        }
        return ok;
    }

    private static void check(Completion c, String prompt) {
        if (!c.content().equals(FakeContent.answer(prompt))) {
            throw new IllegalStateException("wrong answer for '" + prompt + "': " + c.content());
        }
    }

    private static List<String> prompts(int n) {
        List<String> p = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            p.add("Benchmark prompt number " + i + ": summarise the state of the union.");
        }
        return p;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
