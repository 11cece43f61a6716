package dev.parallelrag.bench.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The server's JVM as its {@code /metrics} shows it: heap used (the sum of the {@code area="heap"} pools of
 * {@code jvm_memory_used_bytes}) and {@code jvm_threads_live_threads}; {@link #afterGc} first runs a full GC in the
 * server process with {@code jcmd PID GC.run}, so that heap samples compare what is retained, not garbage.
 */
final class ServerProbe {

    /** One scrape: heap used in bytes and live threads. */
    record Sample(double heapBytes, double liveThreads) {

        double heapMb() {
            return heapBytes / (1024 * 1024);
        }
    }

    private final HttpClient client;
    private final URI metrics;
    private final long pid;

    ServerProbe(HttpClient client, String metricsBaseUrl, long pid) {
        this.client = client;
        this.metrics = URI.create(metricsBaseUrl + "/metrics");
        this.pid = pid;
    }

    Sample now() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + metrics + " answered " + r.statusCode());
        }
        double heap = 0;
        double threads = Double.NaN;
        for (String line : r.body().lines().toList()) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += value(line);
            } else if (line.startsWith("jvm_threads_live_threads ")) {
                threads = value(line);
            }
        }
        if (heap == 0 || Double.isNaN(threads)) {
            throw new IOException(metrics + " has no jvm_memory_used_bytes{area=\"heap\"} or jvm_threads_live_threads");
        }
        return new Sample(heap, threads);
    }

    /** Runs a full GC in the server ({@code jcmd PID GC.run}), waits for it, then scrapes. */
    Sample afterGc() throws IOException, InterruptedException {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("jcmd " + pid + " GC.run failed: " + out.strip());
        }
        return now();
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
