package dev.parallelrag.bench.store;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.IntegrityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The cost of the Lucene integrity check ({@code ParallelRag.verify}, and the same check inside every open for
 * writing) on an index of realistic size: the corpus ingested {@code COPIES} times under different document ids
 * (recursive splitter 1000/200, the real pipeline and store), with 384-dimensional vectors from a hash of the text
 * (the check reads bytes; what the floats say does not change its cost). Prints the index size, then the median
 * and range over {@code REPEATS} runs after one warm-up, of the check alone and of an open for writing.
 *
 * <pre>
 * java -cp benchmarks.jar dev.parallelrag.bench.store.IntegrityCheckBench CORPUS_DIR COPIES REPEATS INDEX_DIR
 * </pre>
 */
public final class IntegrityCheckBench {

    private IntegrityCheckBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: IntegrityCheckBench CORPUS_DIR COPIES REPEATS INDEX_DIR");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        int copies = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        Path index = Path.of(args[3]);
        if (!Files.exists(index)) {
            build(corpus, copies, index);
        }
        IntegrityReport report = ParallelRag.verify(index);
        System.out.printf("index %s: %d files, %.1f MB, %d chunks, intact %s%n", index, report.filesChecked(),
                report.bytesChecked() / 1e6, report.chunks(), report.intact());
        long[] verify = new long[repeats];
        long[] open = new long[repeats];
        for (int r = -1; r < repeats; r++) {
            long t0 = System.nanoTime();
            ParallelRag.verify(index);
            long t1 = System.nanoTime();
            LuceneVectorStore.open(index).close();
            long t2 = System.nanoTime();
            if (r >= 0) {
                verify[r] = t1 - t0;
                open[r] = t2 - t1;
            }
        }
        System.out.printf("verify: median %s ms (%s-%s), %.0f MB/s; open for writing (check included): median %s ms (%s-%s)%n",
                ms(median(verify)), ms(min(verify)), ms(max(verify)), report.bytesChecked() / 1e6 / (median(verify) / 1e9),
                ms(median(open)), ms(min(open)), ms(max(open)));
    }

    private static void build(Path corpus, int copies, Path index) throws IOException {
        List<Path> sources = new ArrayList<>();
        Path staging = Files.createTempDirectory("integrity-bench");
        try (Stream<Path> files = Files.list(corpus)) {
            List<Path> texts = files.sorted().toList();
            for (int c = 0; c < copies; c++) {
                Path copy = Files.createDirectories(staging.resolve("copy" + c));
                for (Path f : texts) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
                sources.add(copy);
            }
        }
        try (LuceneVectorStore store = LuceneVectorStore.open(index); ParallelRuntime runtime = ParallelRuntime.create()) {
            new IngestPipeline(IngestConfig.builder(Splitters.recursive(1000, 200)).build(), new HashVectors(), store, runtime)
                    .run(sources, IngestListener.NONE);
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    private static String ms(long nanos) {
        return String.valueOf(nanos / 1_000_000);
    }

    /** Unit vectors seeded by the text's hash: as many bytes in the index as a real model's, at no inference cost. */
    private static final class HashVectors implements EmbeddingModel {
        @Override
        public String modelId() {
            return "bench/hash-384";
        }

        @Override
        public int dimension() {
            return 384;
        }

        @Override
        public int maxBatchSize() {
            return 64;
        }

        @Override
        public int maxBatchTokens() {
            return 1 << 20;
        }

        @Override
        public List<float[]> embedBatch(List<String> texts) {
            return texts.stream().map(t -> {
                SplittableRandom random = new SplittableRandom(t.hashCode());
                float[] v = new float[384];
                double norm = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextGaussian();
                    norm += v[i] * v[i];
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] /= (float) Math.sqrt(norm);
                }
                return v;
            }).toList();
        }
    }
}
