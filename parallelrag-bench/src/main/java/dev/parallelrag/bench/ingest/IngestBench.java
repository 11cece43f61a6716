package dev.parallelrag.bench.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.parallelrag.bench.embed.Engine;
import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end ingest benchmark: one mode per JVM, so that peak RSS belongs to that mode alone. Run all
 * modes with {@code scripts/bench-ingest.sh}.
 *
 * <pre>
 * java -cp ... dev.parallelrag.bench.ingest.IngestBench MODE CORPUS_DIR CHUNK_SIZE CHUNK_OVERLAP
 *   MODE: parallelrag (in-memory store) | parallelrag-lucene (persistent Lucene index) | langchain4j
 *         | langchain4j-untruncated (its 128-token cut widened to 512, so it embeds what we embed)
 *         | parallelrag-int8 (all-MiniLM-L6-v2 int8) | parallelrag-bge | parallelrag-bge-int8 (bge-small-en-v1.5)
 *         | langchain4j-bge (LangChain4j's stock BgeSmallEnV15EmbeddingModel, which also cuts at 128 tokens)
 * </pre>
 *
 * The all-MiniLM-L6-v2 sides use the full-precision model unless the mode says int8; all sides use a
 * recursive splitter of the same size and overlap
 * (LangChain4j's counts chars, ours code points: the same on this ASCII corpus). Both embed a few texts
 * first so model loading and JIT warm-up are outside the timed region. Prints one JSON line.
 */
public final class IngestBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WARM_UP = List.of("Warm-up sentence one.", "A second, somewhat longer warm-up sentence.");

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: IngestBench parallelrag[-lucene|-int8|-bge|-bge-int8]|langchain4j[-untruncated|-bge] CORPUS_DIR CHUNK_SIZE CHUNK_OVERLAP");
            System.exit(2);
        }
        String mode = args[0];
        Path corpus = Path.of(args[1]);
        int size = Integer.parseInt(args[2]);
        int overlap = Integer.parseInt(args[3]);
        Map<String, Object> result = switch (mode) {
            case "parallelrag" -> ours(mode, OnnxEmbeddingModel.ALL_MINILM_L6_V2, corpus, size, overlap, false);
            case "parallelrag-lucene" -> ours(mode, OnnxEmbeddingModel.ALL_MINILM_L6_V2, corpus, size, overlap, true);
            case "parallelrag-int8" -> ours(mode, OnnxEmbeddingModel.ALL_MINILM_L6_V2_Q, corpus, size, overlap, false);
            case "parallelrag-bge" -> ours(mode, OnnxEmbeddingModel.BGE_SMALL_EN_V15, corpus, size, overlap, false);
            case "parallelrag-bge-int8" -> ours(mode, OnnxEmbeddingModel.BGE_SMALL_EN_V15_Q, corpus, size, overlap, false);
            case "langchain4j-bge" -> langchain4j(mode, new BgeSmallEnV15EmbeddingModel(), corpus, size, overlap);
            case "langchain4j" -> langchain4j("langchain4j", new AllMiniLmL6V2EmbeddingModel(), corpus, size, overlap);
            // the same model with its 128-token cut widened to 512, so both sides embed every token of a chunk
            case "langchain4j-untruncated" -> langchain4j("langchain4j-untruncated",
                    Engine.untruncated("all-minilm-l6-v2", Files.createTempDirectory("bench-ingest-model")), corpus, size, overlap);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        result.put("peak_rss_mb", peakRssMb());
        System.out.println(JSON.writeValueAsString(result));
    }

    private static Map<String, Object> ours(String mode, String modelName, Path corpus, int size, int overlap, boolean lucene)
            throws IOException {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.named(modelName, OnnxEmbeddingConfig.defaults());
             ParallelRuntime runtime = ParallelRuntime.create()) {
            model.embedBatch(WARM_UP);
            Path indexDir = lucene ? Files.createTempDirectory("bench-ingest-index") : null;
            // as many calls in flight as the model runs micro-batches at once: its workers never wait for the
            // next call, and the model itself bounds the threads, so the cores are not oversubscribed
            IngestConfig config = IngestConfig.builder(Splitters.recursive(size, overlap))
                    .embedConcurrency(model.config().parallelism()).build();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            IngestSummary summary;
            try (VectorStore store = lucene ? LuceneVectorStore.open(indexDir) : new InMemoryVectorStore()) {
                summary = new IngestPipeline(config, model, store, runtime).run(List.of(corpus), IngestListener.NONE);
            }
            double seconds = (System.nanoTime() - t0) / 1e9; // includes the final commit and close
            double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", mode);
            r.put("model", modelName);
            r.put("files", summary.files());
            r.put("chunks", summary.chunksAdded());
            r.put("seconds", seconds);
            r.put("chunks_per_s", summary.chunksAdded() / seconds);
            r.put("cpu_seconds", cpuSeconds);
            r.put("chunks_per_cpu_s", summary.chunksAdded() / cpuSeconds);
            Map<String, Double> stages = new LinkedHashMap<>();
            summary.stageTimes().forEach((k, v) -> stages.put(k, v.toNanos() / 1e9));
            r.put("stage_busy_s", stages);
            r.put("embedder", summary.embedderCounters()); // tokens_inferred: what was embedded
            r.put("failures", summary.failures().size());
            return r;
        }
    }

    private static Map<String, Object> langchain4j(String mode, dev.langchain4j.model.embedding.EmbeddingModel model, Path corpus,
                                                   int size, int overlap) {
        model.embedAll(WARM_UP.stream().map(TextSegment::from).toList());
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        EmbeddingStoreIngestor ingestor = EmbeddingStoreIngestor.builder()
                .documentSplitter(DocumentSplitters.recursive(size, overlap))
                .embeddingModel(model)
                .embeddingStore(store)
                .build();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        List<Document> documents = FileSystemDocumentLoader.loadDocuments(corpus, new TextDocumentParser());
        long t1 = System.nanoTime();
        var ingestion = ingestor.ingest(documents);
        long t2 = System.nanoTime();
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        double seconds = (t2 - t0) / 1e9;
        // the ingestor does not report its chunk count; count what it stored
        long chunks = store.search(dev.langchain4j.store.embedding.EmbeddingSearchRequest.builder()
                .queryEmbedding(model.embed("count").content()).maxResults(Integer.MAX_VALUE).minScore(0.0).build()).matches().size();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode);
        r.put("files", documents.size());
        r.put("chunks", chunks);
        r.put("seconds", seconds);
        r.put("chunks_per_s", chunks / seconds);
        r.put("cpu_seconds", cpuSeconds);
        r.put("chunks_per_cpu_s", chunks / cpuSeconds);
        r.put("stage_busy_s", Map.of("load", (t1 - t0) / 1e9, "split+embed+store", (t2 - t1) / 1e9));
        r.put("tokens", ingestion.tokenUsage() == null ? null : ingestion.tokenUsage().totalTokenCount());
        return r;
    }

    /**
     * CPU time of the whole process (all threads, ONNX Runtime's native threads included). On a shared,
     * loaded machine wall time mostly measures how many runnable threads a side has; CPU time measures work.
     */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Peak resident set size of this process (VmHWM), in MB; -1 where /proc is not available. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
