package dev.parallelrag.spark;

import dev.parallelrag.pipeline.IngestSummary;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a {@link SparkIngest} job: the same {@link IngestSummary} as a single-process {@code ingest} (stage
 * times summed over every task), and how the work was spread.
 *
 * @param summary           the counts, failures and busy time per stage of all tasks together; wall time is the job's
 * @param partitions        Spark tasks the files were spread over
 * @param tasksPerExecutor  tasks (successful attempts) per executor id
 * @param failuresTable     the table the failed documents were recorded in
 */
public record SparkIngestReport(IngestSummary summary, int partitions, Map<String, Integer> tasksPerExecutor,
                                String failuresTable) {

    public SparkIngestReport {
        tasksPerExecutor = Map.copyOf(tasksPerExecutor);
    }

    /** {@link IngestSummary#toText()}, then the throughput of each stage and the spread over executors. */
    public String toText() {
        StringBuilder sb = new StringBuilder(summary.toText());
        sb.append("throughput per busy second:");
        long chunks = summary.chunksAdded() + summary.chunksSkipped();
        summary.stageTimes().forEach((stage, busy) -> sb.append(String.format(" %s %s", stage, rate(stage, busy, chunks))));
        sb.append(System.lineSeparator());
        sb.append(String.format("spark: %d tasks on %d executors %s%n", partitions, tasksPerExecutor.size(),
                new TreeMap<>(tasksPerExecutor)));
        if (!summary.failures().isEmpty()) {
            sb.append(String.format("failed documents recorded in table %s%n", failuresTable));
        }
        return sb.toString();
    }

    /** Documents per second for the read stage, chunks per second for the others. */
    private String rate(String stage, Duration busy, long chunks) {
        double seconds = busy.toNanos() / 1e9;
        if (seconds <= 0) {
            return "-";
        }
        return switch (stage) {
            case "read" -> String.format("%.1f docs/s", summary.files() / seconds);
            case "embed", "write" -> String.format("%.1f chunks/s", summary.chunksAdded() / seconds);
            default -> String.format("%.1f chunks/s", chunks / seconds);
        };
    }
}
