package dev.parallelrag.spark;

import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.split.SplitterSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of {@link SparkIngest#main} ({@code spark-submit}) and {@code parallelrag spark-ingest}: ingest's
 * option names for the store, the splitter and the embedder, plus Spark's master and settings. Parsing only; the
 * settings are checked by {@link SparkIngestSettings} and {@link SplitterSpec}.
 */
@Command(name = "spark-ingest", mixinStandardHelpOptions = true,
        description = {"Ingest files and folders into pgvector with an Apache Spark job: the same chunks as `ingest --store pgvector`.",
                "Retried or lost tasks change nothing (chunk ids are deterministic, writes are upserts).",
                "Exit codes: 0 all files ingested, 1 some files failed (each reported, and kept in <table>_failures), 2 usage error."})
final class SparkIngestCommand implements Callable<Integer> {

    static final String PG_URL_ENV = "PARALLELRAG_PG_URL";

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories every executor can read.")
    List<String> paths;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. spark.task.maxFailures=4.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--store", paramLabel = "KIND", defaultValue = "pgvector", description = "Where the chunks go: pgvector (the only store a cluster shares).")
    String store;

    @Option(names = "--pg-url", paramLabel = "URL", description = "JDBC URL of PostgreSQL with pgvector (default: $" + PG_URL_ENV + ").")
    String pgUrl;

    @Option(names = "--pg-table", paramLabel = "NAME", defaultValue = "parallelrag_chunks", description = "Chunk table (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--splitter", paramLabel = "KIND", description = "character|separator|recursive|token|sentence (default: recursive).")
    String splitter;

    @Option(names = "--chunk-size", paramLabel = "N", description = "Largest chunk (default: " + SplitterSpec.DEFAULT_CHUNK_SIZE + ").")
    Integer chunkSize;

    @Option(names = "--chunk-overlap", paramLabel = "N", description = "Overlap between neighbouring chunks (default: a fifth of --chunk-size).")
    Integer chunkOverlap;

    @Option(names = "--length", paramLabel = "UNIT", description = "chars|tokens: how chunk size is measured (default: chars).")
    String length;

    @Option(names = "--encoding", paramLabel = "NAME", description = "Token encoding for --length tokens and the token splitter.")
    String encoding;

    @Option(names = "--embedder", paramLabel = "KIND", defaultValue = "local", description = "local: the bundled ONNX models, loaded once per executor.")
    String embedder;

    @Option(names = "--model", paramLabel = "M", description = "bge-small-en-v1.5-q (default), bge-small-en-v1.5, all-minilm-l6-v2, all-minilm-l6-v2-q.")
    String model;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Spark tasks (default: two per task slot, at most one per file).")
    int partitions;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files matching a glob (repeatable).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files or directories matching a glob (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    private PrintWriter out;
    private PrintWriter err;

    static int execute(String[] args) {
        CommandLine line = new CommandLine(new SparkIngestCommand());
        return line.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine line = new CommandLine(this);
        out = line.getOut();
        err = line.getErr();
        SparkIngestSettings settings;
        try {
            settings = settings(System.getenv(PG_URL_ENV));
        } catch (ValidationException e) {
            err.println("spark-ingest: " + e.getMessage());
            err.flush();
            return 2;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("parallelrag spark-ingest");
        String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
        builder.master(chosen);
        conf.forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        try {
            SparkIngestReport report = SparkIngest.run(spark, settings);
            report.summary().failures().forEach(f -> err.println("spark-ingest: " + f.message().replace('\n', ' ')));
            err.flush();
            out.print(json ? report.summary().toJson() + System.lineSeparator() : report.toText());
            out.flush();
            return report.summary().allSucceeded() ? 0 : 1;
        } catch (ParallelRagException e) {
            err.println("spark-ingest: " + e.getMessage());
            err.flush();
            return 2;
        } finally {
            spark.stop();
            if (chosen.startsWith("local")) {
                ExecutorResources.closeAll(); // this JVM was the executor
            }
        }
    }

    /** The settings the options describe; {@code envUrl} when {@code --pg-url} is not given. */
    SparkIngestSettings settings(String envUrl) {
        if (!"pgvector".equals(store)) {
            throw new ValidationException("--store", store, "must be pgvector: executors on many machines need a shared store");
        }
        if (!"local".equals(embedder)) {
            throw new ValidationException("--embedder", embedder, "must be local: spark-ingest embeds on the executors with"
                    + " the bundled ONNX models (a remote provider's rate limit is the bottleneck there, not cores)");
        }
        String url = pgUrl != null ? pgUrl : envUrl;
        if (url == null || url.isBlank()) {
            throw new ValidationException("--pg-url", null, "is required: give --pg-url URL or set " + PG_URL_ENV);
        }
        SparkIngestSettings.Builder b = SparkIngestSettings.builder(url).paths(paths).table(table).splitter(splitterSpec())
                .partitions(partitions).include(include).exclude(exclude);
        if (model != null) {
            b.model(model);
        }
        return b.build();
    }

    private SplitterSpec splitterSpec() {
        SplitterSpec.Builder b = SplitterSpec.builder(SplitterSpec.Kind.fromId(splitter == null ? "recursive" : splitter));
        if (chunkSize != null) {
            b.chunkSize(chunkSize);
        }
        if (chunkOverlap != null) {
            b.chunkOverlap(chunkOverlap);
        }
        if (length != null) {
            b.length(SplitterSpec.Unit.fromId(length));
        }
        if (encoding != null) {
            b.encoding(encoding);
        }
        return b.build();
    }
}
