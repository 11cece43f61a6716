package dev.parallelrag.spark;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.pgvector.PgVectorConfig;
import dev.parallelrag.pgvector.PgVectorStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The embedding model and the store of one executor JVM, built lazily by its first task and shared by every later
 * task of that executor (and of later jobs in the same JVM), never one per task or partition: an ONNX session costs
 * seconds and a hundred megabytes to load, and a connection pool per task would exhaust PostgreSQL's connections.
 *
 * <p>The model runs {@code executorCores} CPU threads in total, {@code taskCpus} per inference call
 * ({@link OnnxEmbeddingConfig#threads()}, {@link OnnxEmbeddingConfig#intraOpThreads()}), so however many tasks of
 * the executor embed at once, ONNX Runtime never runs more threads than the executor has cores. The store's pool
 * holds one connection per task slot.
 *
 * <p>Closed when the JVM exits (a shutdown hook), or by {@link #closeAll()} when the driver's JVM is the executor
 * ({@code local[N]}) and the job is over.
 */
public final class ExecutorResources {

    /** What one executor shares: a model and a store. The store borrows nothing; the model is closed after it. */
    record Shared(EmbeddingModel model, PgVectorStore store) {
    }

    /** One entry per (model, threads, store) in this JVM; usually exactly one. */
    private record Key(String model, int executorCores, int taskCpus, String pgUrl, String table) {
    }

    private static final Map<Key, Shared> SHARED = new HashMap<>();
    private static boolean hookInstalled;

    private ExecutorResources() {
    }

    /** The executor's model and store for these settings, building them on first use. */
    static synchronized Shared get(SparkIngestSettings settings, int executorCores, int taskCpus) {
        Key key = new Key(settings.model(), executorCores, taskCpus, settings.pgUrl(), settings.table());
        Shared shared = SHARED.get(key);
        if (shared == null) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(ExecutorResources::closeAll, "parallelrag-executor-close"));
                hookInstalled = true;
            }
            OnnxEmbeddingModel model = OnnxEmbeddingModel.named(settings.model(), OnnxEmbeddingConfig.builder()
                    .threads(executorCores).intraOpThreads(taskCpus).build());
            try {
                PgVectorStore store = PgVectorStore.open(storeConfig(settings, model.modelId(), model.dimension(),
                        Math.max(1, executorCores / taskCpus)));
                shared = new Shared(model, store);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            SHARED.put(key, shared);
        }
        return shared;
    }

    /** The store's settings as every JVM of the job opens it: the model and dimension checked against the table's. */
    static PgVectorConfig storeConfig(SparkIngestSettings settings, String modelId, int dimension, int connections) {
        return PgVectorConfig.builder(settings.pgUrl()).table(settings.table()).expect(modelId, dimension)
                .poolSize(connections).build();
    }

    /** Closes every store, then every model, of this JVM; the next task builds them again. */
    public static synchronized void closeAll() {
        for (Shared s : SHARED.values()) {
            try {
                s.store().close();
            } finally {
                s.model().close();
            }
        }
        SHARED.clear();
    }

    static synchronized int size() {
        return SHARED.size();
    }

    @Override
    public String toString() {
        return "ExecutorResources" + Objects.toString(SHARED.keySet().stream().map(Key::model).toList());
    }
}
