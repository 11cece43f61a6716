package dev.parallelrag.spark;

import dev.parallelrag.pipeline.FileFailure;
import dev.parallelrag.pipeline.IngestSummary;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one task's ingest did, sent back to the driver: its {@link IngestSummary}'s counts, busy time per stage in
 * nanoseconds, and its failed documents ({@link FileFailure} is not serializable, so each travels as its fields).
 * Only the successful attempt of a task is counted by Spark's {@code collect}. The embedder's counters are not
 * taken: the model is shared by the executor's tasks, so what moved during one task's run includes the others'.
 */
record PartitionResult(int partition, String executorId, int documents, int documentsIngested, int documentsUnchanged,
                       long chunksAdded, long chunksSkipped, long chunksRemoved, long chunksFailed,
                       Map<String, Long> stageNanos, long wallNanos,
                       List<Failed> failures) implements Serializable {

    /** A document that failed: {@link FileFailure}'s fields. */
    record Failed(String source, String stage, String kind, String message) implements Serializable {
    }

    static PartitionResult of(int partition, String executorId, IngestSummary s) {
        Map<String, Long> stages = new LinkedHashMap<>();
        s.stageTimes().forEach((k, v) -> stages.put(k, v.toNanos()));
        List<Failed> failed = s.failures().stream()
                .map(f -> new Failed(f.source(), f.stage(), f.kind().name(), f.message())).toList();
        return new PartitionResult(partition, executorId, s.files(), s.documentsIngested(), s.documentsUnchanged(),
                s.chunksAdded(), s.chunksSkipped(), s.chunksRemoved(), s.chunksFailed(), stages, s.wallTime().toNanos(), failed);
    }

    /** An empty partition (more partitions than files). */
    static PartitionResult empty(int partition, String executorId) {
        return new PartitionResult(partition, executorId, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, List.of());
    }
}
