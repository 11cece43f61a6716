package dev.parallelrag.testkit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line front of {@link FakeProviderServer}: starts a server, prints its URLs and the environment
 * variables that point ParallelRAG (or any SDK) at it, and serves until interrupted (Ctrl-C).
 *
 * <pre>
 * java -cp parallelrag-testkit.jar:jackson-*.jar dev.parallelrag.testkit.FakeProviderServer --port 8089 --latency-ms 200
 * ./parallelrag testkit --port 8089 --rpm 600
 * </pre>
 */
public final class TestkitMain {

    static final String USAGE = """
            Usage: testkit [--host H] [--port P] [--latency-ms MS] [--stream-chunk-delay-ms MS] [--rpm N] [--tpm N]
                           [--max-answer-tokens N] [--dimension D] [--fault-rate R] [--seed S] [--api-key K]
              --host        interface to bind (default 127.0.0.1)
              --port        port (default 0 = any free port)
              --latency-ms  fixed delay before each response (default 0)
              --stream-chunk-delay-ms  pause between streamed events after the first: a slow LLM (default 0)
              --max-answer-tokens  most tokens (streamed events) in any chat answer (default 0 = the request's limit)
              --rpm, --tpm  requests / tokens per minute, sliding window (default 0 = off)
              --dimension   embedding dimension (default 384)
              --fault-rate  share of requests that fail with 429 (Retry-After: 1), 500 or 503 (default 0)
              --seed        seed of the fault draw (default 42)
              --api-key     the only key accepted (default: any non-blank key)
            """;

    private TestkitMain() {
    }

    /** Parses {@code args}, starts the server and blocks until interrupted. Returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        FakeProviderServer.Builder b;
        try {
            b = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("testkit: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        FakeProviderServer server = b.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        for (String line : banner(server)) {
            out.println(line);
        }
        out.flush();
        stopped.await();
        return 0;
    }

    /** The server the options describe, not yet started; a bad option is an {@link IllegalArgumentException}. */
    static FakeProviderServer.Builder parse(String[] args) {
        FakeProviderServer.Builder b = FakeProviderServer.builder();
        double faultRate = 0;
        long seed = 42;
        int rpm = 0;
        int tpm = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--host" -> b.host(v);
                case "--port" -> b.port(Integer.parseInt(v));
                case "--latency-ms" -> b.latency(Latency.fixed(Duration.ofMillis(Long.parseLong(v))));
                case "--stream-chunk-delay-ms" -> b.streamChunkDelay(Duration.ofMillis(Long.parseLong(v)));
                case "--max-answer-tokens" -> b.maxAnswerTokens(Integer.parseInt(v));
                case "--rpm" -> rpm = Integer.parseInt(v);
                case "--tpm" -> tpm = Integer.parseInt(v);
                case "--dimension" -> b.dimension(Integer.parseInt(v));
                case "--fault-rate" -> faultRate = Double.parseDouble(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--api-key" -> b.apiKey(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        b.rateLimit(rpm, tpm);
        if (faultRate > 0) {
            b.faults(FaultPlan.rate(faultRate, seed, Fault.rateLimited(1), Fault.status(500), Fault.status(503)));
        }
        return b;
    }

    static List<String> banner(FakeProviderServer server) {
        List<String> lines = new ArrayList<>();
        lines.add("ParallelRAG testkit fake provider listening on " + server.baseUrl() + " (Ctrl-C to stop)");
        lines.add("  export OPENAI_BASE_URL=" + server.openAiBaseUrl() + " OPENAI_API_KEY=test-key");
        lines.add("  export ANTHROPIC_BASE_URL=" + server.baseUrl() + " ANTHROPIC_API_KEY=test-key");
        lines.add("  export GEMINI_BASE_URL=" + server.baseUrl() + " GEMINI_API_KEY=test-key");
        lines.add("  export OLLAMA_HOST=" + server.baseUrl());
        return lines;
    }
}
