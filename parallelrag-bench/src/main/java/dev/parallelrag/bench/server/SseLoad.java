package dev.parallelrag.bench.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Concurrent SSE answer streams against a running {@code parallelrag serve} (Must show 5 of the server issue): in
 * each wave {@code --streams} clients, released together, each open one streamed chat completion and read it to its
 * end ({@link AnswerStream} checks it). Before the first wave and after every wave the server's heap and threads are
 * sampled after a full GC; during a wave /metrics is polled every second for the peak. One line per wave, then the
 * heap trend. A harness, not a test: the server, its slow fake LLM and the index come from the script
 * ({@code scripts/bench-server.sh sse}).
 *
 * <pre>
 * SseLoad --url http://127.0.0.1:PORT --key KEY --pid SERVER_PID [--streams 500] [--waves 5] [--timeout-s 300]
 * </pre>
 */
public final class SseLoad {

    private static final List<String> QUESTIONS = List.of("What did the president say about the slave trade?",
            "How should the national debt be paid?", "Why was there a war with Mexico?",
            "What is said about the tariff on imports?", "What did they propose for civil service reform?",
            "Should railroads be built to the Pacific?", "What about an income tax?",
            "What is the League of Nations for?", "What does social security provide?",
            "What is the policy on nuclear weapons?");

    private SseLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String url = required(o, "--url");
        String key = required(o, "--key");
        long pid = Long.parseLong(required(o, "--pid"));
        int streams = Integer.parseInt(o.getOrDefault("--streams", "500"));
        int waves = Integer.parseInt(o.getOrDefault("--waves", "5"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("--timeout-s", "300")));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ServerProbe probe = new ServerProbe(client(threads), url, pid);
            System.out.printf(Locale.ROOT, "SSE %d waves of %d streams; client: %d cores, JDK %s%n", waves, streams,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            Wave warm = wave(threads, new AnswerStream(client(threads), url, key, timeout), probe,
                    Math.min(50, streams));
            System.out.println("warm-up: " + warm.line());
            List<ServerProbe.Sample> heap = new ArrayList<>();
            ServerProbe.Sample base = probe.afterGc();
            heap.add(base);
            System.out.printf(Locale.ROOT, "before wave 1: heap after GC %.1f MB, %d live threads, load %s%n",
                    base.heapMb(), (int) base.liveThreads(), loadAverage());
            int failed = 0;
            for (int w = 1; w <= waves; w++) {
                // a new client per wave: connections pooled in the last wave may have been idle past the server's
                // idle timeout, and a POST on a connection the server closed fails without being retried
                Wave r = wave(threads, new AnswerStream(client(threads), url, key, timeout), probe, streams);
                ServerProbe.Sample after = probe.afterGc();
                heap.add(after);
                failed += r.errors();
                System.out.printf(Locale.ROOT, "WAVE %d: %s; after GC heap %.1f MB, %d live threads; load %s%n", w,
                        r.line(), after.heapMb(), (int) after.liveThreads(), loadAverage());
            }
            System.out.println(trend(heap));
            System.out.printf(Locale.ROOT, "SSE TOTAL %d streams, %d errors%n", waves * streams, failed);
            System.exit(failed == 0 ? 0 : 1);
        }
    }

    private static HttpClient client(ExecutorService threads) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** One wave's figures. */
    record Wave(int streams, int errors, Map<String, Integer> errorKinds, int peakOpen, long[] firstEventMs,
                long[] totalMs, long wallMs, ServerProbe.Sample peak) {

        String line() {
            return String.format(Locale.ROOT, "%d streams, %d errors%s, %d open at once, first event p50 %d p99 %d "
                            + "max %d ms, stream p50 %d p99 %d max %d ms, wave %.1f s; during: heap up to %.0f MB, "
                            + "up to %d live threads", streams, errors, errorKinds.isEmpty() ? "" : " " + errorKinds,
                    peakOpen, pct(firstEventMs, 50), pct(firstEventMs, 99), pct(firstEventMs, 100), pct(totalMs, 50),
                    pct(totalMs, 99), pct(totalMs, 100), wallMs / 1000.0, peak.heapMb(), (int) peak.liveThreads());
        }
    }

    private static Wave wave(ExecutorService threads, AnswerStream stream, ServerProbe probe, int n)
            throws InterruptedException, IOException {
        OpenStreams open = new OpenStreams();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StreamResult>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String question = QUESTIONS.get(i % QUESTIONS.size());
            futures.add(threads.submit(() -> {
                go.await();
                return stream.run(question, open);
            }));
        }
        AtomicReference<ServerProbe.Sample> peak = new AtomicReference<>(probe.now());
        Thread sampler = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    ServerProbe.Sample s = probe.now();
                    peak.accumulateAndGet(s, (a, b) -> new ServerProbe.Sample(Math.max(a.heapBytes(), b.heapBytes()),
                            Math.max(a.liveThreads(), b.liveThreads())));
                }
            } catch (InterruptedException | IOException e) {
                // the wave is over (interrupt), or the scrape failed: the peak so far stands
            }
        });
        long start = System.nanoTime();
        go.countDown();
        List<StreamResult> results = new ArrayList<>(n);
        for (Future<StreamResult> f : futures) {
            try {
                results.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                results.add(new StreamResult(-1, 0, 0, "harness: " + e.getCause()));
            }
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        Map<String, Integer> kinds = new TreeMap<>();
        results.stream().filter(r -> !r.ok()).forEach(r -> kinds.merge(shorten(r.error()), 1, Integer::sum));
        long[] first = results.stream().filter(StreamResult::ok).mapToLong(r -> r.firstEventNanos() / 1_000_000)
                .sorted().toArray();
        long[] total = results.stream().filter(StreamResult::ok).mapToLong(r -> r.totalNanos() / 1_000_000)
                .sorted().toArray();
        return new Wave(n, (int) results.stream().filter(r -> !r.ok()).count(), kinds, open.peak(), first, total,
                wall, peak.get());
    }

    /** Least-squares slope and range of the after-GC heap samples. */
    static String trend(List<ServerProbe.Sample> heap) {
        int n = heap.size();
        double mx = (n - 1) / 2.0;
        double my = heap.stream().mapToDouble(ServerProbe.Sample::heapMb).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - mx) * (heap.get(i).heapMb() - my);
            den += (i - mx) * (i - mx);
        }
        double min = heap.stream().mapToDouble(ServerProbe.Sample::heapMb).min().orElse(0);
        double max = heap.stream().mapToDouble(ServerProbe.Sample::heapMb).max().orElse(0);
        return String.format(Locale.ROOT, "HEAP after GC, MB, before wave 1 then after each wave: %s; slope %+.2f MB "
                        + "per wave, range %.1f MB", Arrays.toString(heap.stream()
                        .mapToDouble(s -> Math.round(s.heapMb() * 10) / 10.0).toArray()),
                den == 0 ? 0 : num / den, max - min);
    }

    /** The {@code p}-th percentile (nearest rank) of sorted values, or -1 when there are none. */
    static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String shorten(String error) {
        return error.length() > 80 ? error.substring(0, 80) : error;
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an --option, got " + args[i]);
            }
            o.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
        }
        return o;
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required; usage: SseLoad --url URL --key KEY --pid PID "
                    + "[--streams 500] [--waves 5] [--timeout-s 300]");
        }
        return v;
    }
}
