package dev.parallelrag.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Many concurrent streamed chat completions against a running {@code parallelrag serve}: each stream is one
 * {@code POST /v1/chat/completions} with {@code stream: true}, read line by line to {@code data: [DONE]}.
 *
 * <p>Usage: {@code SseLoad BASE_URL KEY STREAMS WAVES QUESTION}. Each wave opens {@code STREAMS} streams at once
 * (one virtual thread each, one HTTP/1.1 connection each) and waits for all of them; it prints one line per wave
 * with the streams that ended with {@code [DONE]}, the failures, and the median and p99 of the time to the first
 * event and to the end. The caller samples the server's heap between waves ({@code scripts/bench-server.sh}).
 */
public final class SseLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SseLoad() {
    }

    /** One stream's outcome: times in milliseconds, or an error. */
    record Outcome(double firstEventMillis, double totalMillis, int events, boolean done, String error) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SseLoad BASE_URL KEY STREAMS WAVES QUESTION");
            System.exit(2);
        }
        String base = args[0].replaceAll("/+$", "");
        String key = args[1];
        int streams = Integer.parseInt(args[2]);
        int waves = Integer.parseInt(args[3]);
        String question = args[4];
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        String model = firstModel(client, base, key);
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("model", model).put("stream", true)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("stream_options",
                        JSON.createObjectNode().put("include_usage", true))
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", question))));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int wave = 1; wave <= waves; wave++) {
            List<Outcome> outcomes = wave(client, request, streams);
            report(wave, streams, outcomes);
            // the script samples the heap after this line; give it a moment before the next wave
            System.out.println("WAVE_DONE " + wave);
            System.out.flush();
            if (wave < waves) {
                Thread.sleep(Duration.ofSeconds(Integer.getInteger("sseload.pause.seconds", 5)));
            }
        }
    }

    private static String firstModel(HttpClient client, String base, String key) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/models answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode data = JSON.readTree(r.body()).path("data");
        if (data.isEmpty()) {
            throw new IllegalStateException("GET /v1/models lists no model: " + r.body());
        }
        return data.get(0).path("id").asText();
    }

    private static List<Outcome> wave(HttpClient client, HttpRequest request, int streams) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> futures = new ArrayList<>(streams);
            for (int i = 0; i < streams; i++) {
                futures.add(pool.submit(() -> stream(client, request)));
            }
            List<Outcome> outcomes = new ArrayList<>(streams);
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        }
    }

    private static Outcome stream(HttpClient client, HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                return new Outcome(0, 0, 0, false, "HTTP " + r.statusCode());
            }
            double first = -1;
            int events = 0;
            boolean done = false;
            try (Stream<String> lines = r.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    if (first < 0) {
                        first = (System.nanoTime() - start) / 1e6;
                    }
                    events++;
                    if (line.substring(5).trim().equals("[DONE]")) {
                        done = true;
                    }
                }
            }
            return new Outcome(first, (System.nanoTime() - start) / 1e6, events, done, done ? null : "no [DONE]");
        } catch (IOException | InterruptedException e) {
            return new Outcome(0, 0, 0, false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void report(int wave, int streams, List<Outcome> outcomes) {
        List<Outcome> ok = outcomes.stream().filter(Outcome::done).toList();
        double[] first = ok.stream().mapToDouble(Outcome::firstEventMillis).sorted().toArray();
        double[] total = ok.stream().mapToDouble(Outcome::totalMillis).sorted().toArray();
        System.out.printf(Locale.ROOT, "RESULT wave %d: %d streams, %d ended with [DONE], %d failed; first event "
                        + "p50 %.0f ms p99 %.0f ms; whole stream p50 %.0f ms p99 %.0f ms; events per stream %d%n",
                wave, streams, ok.size(), streams - ok.size(), pct(first, 50), pct(first, 99), pct(total, 50),
                pct(total, 99), ok.isEmpty() ? 0 : ok.get(0).events());
        outcomes.stream().filter(o -> !o.done()).map(Outcome::error).distinct().limit(5)
                .forEach(e -> System.out.println("  failure: " + e));
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
