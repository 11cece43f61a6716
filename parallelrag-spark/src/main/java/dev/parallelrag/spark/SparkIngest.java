package dev.parallelrag.spark;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.onnx.OnnxEmbeddingModelProvider;
import dev.parallelrag.pgvector.PgVectorStore;
import dev.parallelrag.pipeline.FileFailure;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.read.DocumentReadException;
import dev.parallelrag.read.ReaderRegistry;
import dev.parallelrag.read.SourceFile;
import dev.parallelrag.read.SourceWalker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Distributed ingest into pgvector with exactly-once effect. Runnable with {@code spark-submit --class
 * dev.parallelrag.spark.SparkIngest parallelrag-spark-job.jar PATH... --pg-url URL} (see {@link SparkIngestCommand}
 * for the options), or from Java with {@link #run}.
 *
 * <p>The driver walks the paths as {@code ingest} does (same readers, globs and document ids), creates the chunk
 * table, and spreads the files over Spark tasks. Each task runs the engine's ingest pipeline on its files with its
 * executor's shared model and store ({@link PartitionIngest}). Chunk ids depend only on the document id, its content
 * and the splitter settings, and every write is an upsert by id, so a retried or speculative task, or a re-run of the
 * whole job, leaves exactly the chunks of one undisturbed run. A document that fails is recorded (with its path and
 * error) in {@code <table>_failures} and the job goes on. The Spark UI shows the job and its stage under
 * "parallelrag ingest".
 */
public final class SparkIngest {

    /** The job's description and call site in the Spark UI. */
    static final String STAGE_NAME = "parallelrag ingest: read, split, embed, upsert";

    private SparkIngest() {
    }

    /** The command line of {@code spark-submit} and {@code parallelrag spark-ingest}; exits with ingest's codes. */
    public static void main(String[] args) {
        System.exit(SparkIngestCommand.execute(args));
    }

    /**
     * Runs the job on the session's cluster and returns its report; the session stays open (the caller's).
     *
     * @throws dev.parallelrag.error.ValidationException for paths that do not exist, or a table made by another model
     */
    public static SparkIngestReport run(SparkSession spark, SparkIngestSettings settings) {
        long t0 = System.nanoTime();
        SourceWalker.Result walked = new SourceWalker(ReaderRegistry.defaults(), settings.include(), settings.exclude(), false)
                .walk(settings.paths().stream().map(Path::of).toList());
        List<DocumentSource> sources = walked.files().stream()
                .map(f -> new DocumentSource(f.path().toAbsolutePath().toString(), f.documentId())).toList();
        EmbedderSpec embedder = new OnnxEmbeddingModelProvider().describe(settings.model());
        // the driver creates the table (and checks an existing one's model and dimension) once, before any task runs
        try (PgVectorStore store = PgVectorStore.open(ExecutorResources.storeConfig(settings, embedder.modelId(),
                embedder.dimension(), 1))) {
            List<PartitionResult> results = sources.isEmpty() ? List.of() : ingest(spark, settings, sources);
            IngestSummary summary = merge(walked, results, Duration.ofNanos(System.nanoTime() - t0));
            FailureTable failures = new FailureTable(settings.pgUrl(), settings.table());
            Set<String> failed = new HashSet<>();
            summary.failures().forEach(f -> failed.add(f.source()));
            failures.record(summary.failures(), walked.files().stream().map(SourceFile::documentId)
                    .filter(id -> !failed.contains(id)).toList());
            store.putIndexMetadata(Map.of(IndexManifest.LAST_INGEST, summary.toJson()));
            store.commit();
            Map<String, Integer> perExecutor = new HashMap<>();
            results.forEach(r -> perExecutor.merge(r.executorId(), 1, Integer::sum));
            return new SparkIngestReport(summary, results.size(), perExecutor, failures.name());
        }
    }

    private static List<PartitionResult> ingest(SparkSession spark, SparkIngestSettings settings, List<DocumentSource> sources) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = settings.partitions() > 0 ? settings.partitions()
                : Math.min(sources.size(), 2 * Math.max(1, jsc.defaultParallelism()));
        jsc.setJobGroup("parallelrag-ingest", STAGE_NAME + " (" + sources.size() + " files, " + partitions + " tasks)", false);
        jsc.setCallSite(STAGE_NAME);
        try {
            JavaRDD<DocumentSource> files = jsc.parallelize(sources, partitions).setName("parallelrag files");
            return files.mapPartitions(new PartitionIngest(settings)).setName("parallelrag ingested").collect();
        } finally {
            jsc.clearCallSite();
            jsc.clearJobGroup();
        }
    }

    /** One summary for the whole job: the tasks' counts and busy times added up, the walk's failures first. */
    static IngestSummary merge(SourceWalker.Result walked, List<PartitionResult> results, Duration wall) {
        List<FileFailure> failures = new ArrayList<>();
        for (DocumentReadException e : walked.failures()) {
            failures.add(new FileFailure(e.path(), "read", e.kind(), e.getMessage()));
        }
        int ingested = 0;
        int unchanged = 0;
        long added = 0;
        long skipped = 0;
        long removed = 0;
        long chunksFailed = 0;
        Map<String, Long> stageNanos = new LinkedHashMap<>();
        for (PartitionResult r : results) {
            ingested += r.documentsIngested();
            unchanged += r.documentsUnchanged();
            added += r.chunksAdded();
            skipped += r.chunksSkipped();
            removed += r.chunksRemoved();
            chunksFailed += r.chunksFailed();
            r.stageNanos().forEach((k, v) -> stageNanos.merge(k, v, Long::sum));
            r.failures().forEach(f -> failures.add(new FileFailure(f.source(), f.stage(), ErrorKind.valueOf(f.kind()), f.message())));
        }
        Map<String, Duration> stages = new LinkedHashMap<>();
        stageNanos.forEach((k, v) -> stages.put(k, Duration.ofNanos(v)));
        int files = walked.files().size() + walked.failures().size();
        return new IngestSummary(files, ingested, unchanged, failures.size(), 0, added, skipped, removed, chunksFailed,
                walked.unsupported(), stages, wall, Map.of(), failures, 0, false);
    }
}
