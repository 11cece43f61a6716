package dev.parallelrag.bench.embed;

import dev.parallelrag.onnx.OnnxEmbeddingModel;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Must show 4: embeds N chunks as a stream (batches of 256 pulled, embedded, written to disk, dropped) and
 * prints heap and RSS as it goes, so that flat memory shows nothing accumulates. Run with -Xmx1g:
 * <pre>
 * java -Xmx1g -cp parallelrag-bench/target/benchmarks.jar dev.parallelrag.bench.embed.StreamingMemoryHarness \
 *      [chunks=100000] [model=q|full] [out=target/stream-vectors.bin]
 * </pre>
 * Chunks are consecutive ~40-word pieces of the SOTU speeches, cycled (with a pass number) until N.
 */
public final class StreamingMemoryHarness {

    private StreamingMemoryHarness() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String model = args.length > 1 ? args[1] : "q";
        Path out = Path.of(args.length > 2 ? args[2] : "target/stream-vectors.bin");
        List<String> speeches = BenchCorpus.speeches(Path.of("data/sotu"));
        List<String[]> words = new ArrayList<>();
        for (String s : speeches) {
            words.add(s.split("\\s+"));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        long start = System.nanoTime();
        try (OnnxEmbeddingModel m = model.equals("full") ? OnnxEmbeddingModel.allMiniLmL6V2() : OnnxEmbeddingModel.allMiniLmL6V2Quantized();
             DataOutputStream file = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
            int speech = 0;
            int word = 0;
            int pass = 0;
            int done = 0;
            int nextReport = 0;
            List<String> batch = new ArrayList<>(256);
            while (done < total) {
                batch.clear();
                while (batch.size() < 256 && done + batch.size() < total) {
                    String[] w = words.get(speech);
                    int end = Math.min(w.length, word + 40);
                    batch.add((pass > 0 ? "(" + pass + ") " : "") + String.join(" ", java.util.Arrays.asList(w).subList(word, end)));
                    word = end;
                    if (word >= w.length) {
                        word = 0;
                        speech++;
                        if (speech == words.size()) {
                            speech = 0;
                            pass++;
                        }
                    }
                }
                for (float[] v : m.embedBatch(batch)) {
                    for (float x : v) {
                        file.writeFloat(x);
                    }
                }
                done += batch.size();
                if (done >= nextReport || done == total) {
                    report(done, start, m);
                    nextReport += 2_560;
                }
            }
        }
        System.out.printf(Locale.ROOT, "DONE chunks=%d model=%s seconds=%.1f peakRSS=%d MB vectors=%s (%d MB)%n", total, model,
                (System.nanoTime() - start) / 1e9, LocalEmbeddingBench.peakRssMb(), out, Files.size(out) >> 20);
    }

    private static void report(int done, long start, OnnxEmbeddingModel m) {
        Runtime rt = Runtime.getRuntime();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "chunks %d  %.1f s  %.1f chunks/s  heap used %d MB (max %d)  RSS %d MB  peak RSS %d MB  load %.2f%n",
                done, secs, done / secs, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20, rssMb(),
                LocalEmbeddingBench.peakRssMb(), LocalEmbeddingBench.loadAverage());
    }

    private static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }
}
