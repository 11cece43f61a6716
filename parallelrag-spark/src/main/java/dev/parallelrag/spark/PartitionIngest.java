package dev.parallelrag.spark;

import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.TextSplitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * One Spark task: the engine's {@link IngestPipeline} over the task's files, with the executor's shared model and
 * store ({@link ExecutorResources}). The pipeline reads, splits, asks the store which chunk ids it holds already,
 * embeds the rest in token-bounded batches and upserts them, document by document. A retried attempt (after an
 * executor was lost, or this attempt failed) runs the same files again: the ids it finds stored are skipped and the
 * others upserted, so the table ends exactly as if the task had run once.
 *
 * <p>Sizing: the task's CPU pool and its embedding calls in flight are {@code spark.task.cpus}, so an executor with
 * {@code c} cores runs {@code c / spark.task.cpus} tasks and never more than {@code c} threads of CPU work.
 */
final class PartitionIngest implements FlatMapFunction<Iterator<DocumentSource>, PartitionResult> {

    private final SparkIngestSettings settings;

    PartitionIngest(SparkIngestSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<PartitionResult> call(Iterator<DocumentSource> sources) {
        TaskContext task = TaskContext.get();
        String executorId = SparkEnv.get().executorId();
        List<IngestItem> items = new ArrayList<>();
        sources.forEachRemaining(s -> items.add(IngestItem.file(Path.of(s.path()), s.documentId())));
        if (items.isEmpty()) {
            return List.of(PartitionResult.empty(task.partitionId(), executorId)).iterator();
        }
        int taskCpus = Math.max(1, task.cpus());
        int executorCores = Math.max(taskCpus, ExecutorCores.of(SparkEnv.get().conf()));
        ExecutorResources.Shared shared = ExecutorResources.get(settings, executorCores, taskCpus);
        TextSplitter splitter = settings.splitterSpec().create();
        IngestConfig config = IngestConfig.builder(splitter).documentWindow(2 * taskCpus).embedConcurrency(taskCpus).build();
        IngestSummary summary;
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(taskCpus)
                .threadNamePrefix("parallelrag-task-" + task.partitionId()).build())) {
            summary = new IngestPipeline(config, shared.model(), shared.store(), runtime)
                    .runItems(items, settings.listeners().forTask(task.partitionId(), task.attemptNumber()), StopSignal.never());
        }
        return List.of(PartitionResult.of(task.partitionId(), executorId, summary)).iterator();
    }
}
