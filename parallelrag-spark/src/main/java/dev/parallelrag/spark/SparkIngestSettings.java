package dev.parallelrag.spark;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.split.SplitterSpec;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of one {@link SparkIngest} job, shipped to every executor (so serializable; the splitter
 * travels as its {@link SplitterSpec#toMap()} form). Build with {@link #builder(String)}; {@link Builder#build()}
 * validates every value.
 *
 * <p>Defaults: table {@code parallelrag_chunks} (the pgvector store's); the recursive splitter of
 * {@link SplitterSpec#defaults()}; the local model {@link OnnxEmbeddingModel#DEFAULT_MODEL}; partitions 0, meaning two per task
 * slot of the cluster ({@code defaultParallelism}) and at most one per file, so a slow file holds back only its
 * share; no include or exclude globs; no listeners.
 *
 * @param paths      files and directories on a file system every executor sees, walked on the driver
 * @param pgUrl      the JDBC URL of the PostgreSQL with pgvector (never printed: {@link #toString()} leaves it out)
 * @param table      the chunk table; failed documents go to {@code <table>_failures}
 * @param splitter   the splitter, as {@link SplitterSpec#toMap()}
 * @param model      the local embedding model, one of the bundled ONNX models
 * @param partitions the number of Spark tasks, or 0 for the default above
 */
public record SparkIngestSettings(List<String> paths, String pgUrl, String table, Map<String, String> splitter,
                                  String model, int partitions, List<String> include, List<String> exclude,
                                  TaskListeners listeners) implements Serializable {

    /** More tasks than this are refused: each task costs a scheduling round trip and a store transaction per batch. */
    public static final int MAX_PARTITIONS = 100_000;

    static final List<String> MODELS = List.of(OnnxEmbeddingModel.ALL_MINILM_L6_V2, OnnxEmbeddingModel.ALL_MINILM_L6_V2_Q,
            OnnxEmbeddingModel.BGE_SMALL_EN_V15, OnnxEmbeddingModel.BGE_SMALL_EN_V15_Q);

    public SparkIngestSettings {
        if (paths == null || paths.isEmpty()) {
            throw new ValidationException("paths", paths, "must name at least one file or directory to ingest");
        }
        paths = List.copyOf(paths);
        if (pgUrl == null || !pgUrl.startsWith("jdbc:postgresql:")) {
            throw new ValidationException("pgUrl", pgUrl == null ? null : "(not shown)",
                    "must be a PostgreSQL JDBC URL, e.g. jdbc:postgresql://host:5432/db?user=u (--pg-url or PARALLELRAG_PG_URL)");
        }
        Objects.requireNonNull(table, "table");
        splitter = Map.copyOf(splitter);
        SplitterSpec.fromMap(splitter); // validates it now, on the driver, not in every task
        if (!MODELS.contains(model)) {
            throw new ValidationException("model", model, "is not a local model; use one of " + String.join(", ", MODELS)
                    + " (spark-ingest embeds on the executors with the bundled ONNX models)");
        }
        if (partitions < 0 || partitions > MAX_PARTITIONS) {
            throw new ValidationException("partitions", partitions, "must be between 1 and " + MAX_PARTITIONS
                    + ", or 0 for two per task slot");
        }
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(listeners, "listeners");
    }

    /** The splitter the settings name. */
    public SplitterSpec splitterSpec() {
        return SplitterSpec.fromMap(splitter);
    }

    public static Builder builder(String pgUrl) {
        return new Builder(pgUrl);
    }

    /** Leaves the URL out: it may carry a password. */
    @Override
    public String toString() {
        return "SparkIngestSettings[paths=" + paths + ", table=" + table + ", splitter=" + splitter + ", model=" + model
                + ", partitions=" + partitions + ", include=" + include + ", exclude=" + exclude + "]";
    }

    /** Mutable builder with the documented defaults. Not thread-safe. */
    public static final class Builder {
        private final String pgUrl;
        private List<String> paths = List.of();
        private String table = "parallelrag_chunks";
        private SplitterSpec splitter = SplitterSpec.defaults();
        private String model = OnnxEmbeddingModel.DEFAULT_MODEL;
        private int partitions;
        private List<String> include = List.of();
        private List<String> exclude = List.of();
        private TaskListeners listeners = TaskListeners.NONE;

        private Builder(String pgUrl) {
            this.pgUrl = pgUrl;
        }

        public Builder paths(List<String> paths) {
            this.paths = paths;
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        public Builder splitter(SplitterSpec splitter) {
            this.splitter = Objects.requireNonNull(splitter, "splitter");
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder include(List<String> globs) {
            this.include = globs;
            return this;
        }

        public Builder exclude(List<String> globs) {
            this.exclude = globs;
            return this;
        }

        public Builder listeners(TaskListeners listeners) {
            this.listeners = listeners;
            return this;
        }

        public SparkIngestSettings build() {
            return new SparkIngestSettings(paths, pgUrl, table, new LinkedHashMap<>(splitter.toMap()), model, partitions,
                    include, exclude, listeners);
        }
    }
}
