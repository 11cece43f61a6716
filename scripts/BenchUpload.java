import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The time from sending {@code POST /v1/documents} with N files in one multipart body to its 202 (the whole request:
 * the body sent over loopback, the server's parse, write and submit, the answer read), against one or more running
 * servers, in interleaved rounds. Run by scripts/bench-upload.sh (docs/BENCHMARKS.md "Upload: time to 202").
 *
 * <pre>java scripts/BenchUpload.java KEY COUNTS ROUNDS WARMUP TEXTS_DIR LABEL=URL [LABEL=URL...]</pre>
 *
 * Each file is 2-4 KB of text cut from the files of TEXTS_DIR, the same file i in every round, so that after the
 * first (warm-up) job a job stores nothing new. After each upload the harness waits for the job to end before the
 * next one, so no job runs while a request is timed. Every round is printed, then median, min, max per label and count.
 */
public class BenchUpload {

    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([a-z_]+)\"");

    public static void main(String[] args) throws Exception {
        String key = args[0];
        int[] counts = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        String corpus = texts(Path.of(args[4]));
        List<String[]> servers = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            servers.add(args[i].split("=", 2));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        for (int count : counts) {
            Body body = body(corpus, count);
            System.out.printf(Locale.ROOT, "files %d: body %d bytes (%d-%d bytes a file)%n", count, body.bytes.length,
                    body.smallest, body.largest);
            for (String[] server : servers) {
                for (int w = 0; w < warmup; w++) {
                    upload(http, server[1], key, body);
                }
            }
            double[][] ms = new double[servers.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                // alternate which server goes first, so neither always follows the other's job
                for (int k = 0; k < servers.size(); k++) {
                    int s = (r % 2 == 0) ? k : servers.size() - 1 - k;
                    ms[s][r] = upload(http, servers.get(s)[1], key, body);
                    System.out.printf(Locale.ROOT, "ROUND files=%d round=%d %s %.1f ms%n", count, r + 1,
                            servers.get(s)[0], ms[s][r]);
                }
            }
            for (int s = 0; s < servers.size(); s++) {
                double[] sorted = ms[s].clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "RESULT files=%d %s: median %.1f ms, min %.1f, max %.1f, p90 %.1f"
                                + " (%d rounds)%n", count, servers.get(s)[0], median(sorted), sorted[0],
                        sorted[sorted.length - 1], sorted[(int) Math.ceil(0.9 * sorted.length) - 1], rounds);
            }
        }
    }

    /** One upload, timed to its 202; then waits, untimed, for its job to end. */
    private static double upload(HttpClient http, String base, String key, Body body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/documents"))
                .header("Authorization", "Bearer " + key).header("Content-Type", body.contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 202) {
            throw new IllegalStateException("expected 202, got " + response.statusCode() + ": " + response.body());
        }
        String job = response.headers().firstValue("Location").orElseThrow();
        for (long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos(); ; Thread.sleep(50)) {
            String answer = http.send(HttpRequest.newBuilder(URI.create(base + job)).header("Authorization",
                    "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = STATE.matcher(answer);
            String state = m.find() ? m.group(1) : "";
            if (state.equals("failed") || state.equals("cancelled")) {
                throw new IllegalStateException("job " + job + " ended " + state + ": " + answer);
            }
            if (state.equals("succeeded")) {
                return ms;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job + " did not end within 10 minutes: " + answer);
            }
        }
    }

    private record Body(String contentType, byte[] bytes, int smallest, int largest) {
    }

    /** {@code count} files, file i being 2-4 KB of the corpus from a place fixed by i. */
    private static Body body(String corpus, int count) {
        String boundary = "----bench-upload-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int i = 0; i < count; i++) {
            int length = 2048 + (int) ((i * 2654435761L) % 2049);
            int from = (int) ((i * 40503L * 1021) % (corpus.length() - length));
            byte[] text = corpus.substring(from, from + length).getBytes(StandardCharsets.UTF_8);
            smallest = Math.min(smallest, text.length);
            largest = Math.max(largest, text.length);
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"bench/doc-"
                    + i + ".txt\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(text);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Body("multipart/form-data; boundary=" + boundary, out.toByteArray(), smallest, largest);
    }

    /** The ASCII text of every file of the directory, in name order. */
    private static String texts(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                all.append(Files.readString(f, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7E\\n]", " "));
            }
        }
        return all.toString();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
