package dev.parallelrag.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an ingest run.
 *
 * @param files              files found (including those that failed)
 * @param documentsIngested  documents whose chunks were (re)written
 * @param documentsUnchanged documents already in the index with the same content, splitter and model
 * @param documentsFailed    files that failed (see {@code failures})
 * @param documentsPruned    documents removed because their file is gone ({@code prune})
 * @param chunksAdded        chunks embedded and written
 * @param chunksSkipped      chunks already in the index for this model, not embedded again
 * @param chunksRemoved      old chunks removed (of changed, pruned or re-split documents)
 * @param chunksFailed       chunks of failed documents that were not written
 * @param unsupportedFiles   files skipped while walking because no reader handles their extension
 * @param stageTimes         busy time per stage (read, split, dedupe, embed, write), summed over threads
 * @param wallTime           elapsed time of the whole run
 * @param embedderCounters   how much each of the embedder's counters moved during the run (for example
 *                           {@code cache_hits} and {@code texts_inferred}); empty when it exposes none
 * @param failures           one entry per failed file, in input order
 * @param documentsNotRun    files left undone because the run was stopped ({@code interrupted}); the same ingest
 *                           run again does them
 * @param interrupted        whether a {@code StopSignal} stopped the run before it had done every file
 */
public record IngestSummary(
        int files,
        int documentsIngested,
        int documentsUnchanged,
        int documentsFailed,
        int documentsPruned,
        long chunksAdded,
        long chunksSkipped,
        long chunksRemoved,
        long chunksFailed,
        int unsupportedFiles,
        Map<String, Duration> stageTimes,
        Duration wallTime,
        Map<String, Long> embedderCounters,
        List<FileFailure> failures,
        int documentsNotRun,
        boolean interrupted) {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    public IngestSummary {
        stageTimes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageTimes));
        embedderCounters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(embedderCounters));
        failures = List.copyOf(failures);
    }

    /** True when every file was ingested (or was already up to date). */
    public boolean allSucceeded() {
        return documentsFailed == 0 && documentsNotRun == 0;
    }

    /** Chunks written per second of wall time. */
    public double chunksPerSecond() {
        double seconds = wallTime.toNanos() / 1e9;
        return seconds <= 0 ? 0 : chunksAdded / seconds;
    }

    /** A stable JSON form (durations in milliseconds), used for {@code stats} and {@code --json}. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", files);
        m.put("documents_ingested", documentsIngested);
        m.put("documents_unchanged", documentsUnchanged);
        m.put("documents_failed", documentsFailed);
        m.put("documents_pruned", documentsPruned);
        m.put("chunks_added", chunksAdded);
        m.put("chunks_skipped", chunksSkipped);
        m.put("chunks_removed", chunksRemoved);
        m.put("chunks_failed", chunksFailed);
        m.put("unsupported_files", unsupportedFiles);
        m.put("interrupted", interrupted);
        m.put("documents_not_run", documentsNotRun);
        Map<String, Long> stages = new LinkedHashMap<>();
        stageTimes.forEach((k, v) -> stages.put(k, v.toMillis()));
        m.put("stage_ms", stages);
        m.put("wall_ms", wallTime.toMillis());
        m.put("embedder", embedderCounters);
        m.put("failures", failures.stream().map(f -> Map.of("source", f.source(), "stage", f.stage(),
                "kind", f.kind().wireName(), "message", f.message())).toList());
        try {
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialize summary", e);
        }
    }

    /** Human-readable lines for a terminal. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("files: %d (ingested %d, unchanged %d, failed %d, pruned %d, unsupported skipped %d)%n",
                files, documentsIngested, documentsUnchanged, documentsFailed, documentsPruned, unsupportedFiles));
        if (interrupted) {
            sb.append(String.format("interrupted: %d files not run; run the same ingest again to finish them%n",
                    documentsNotRun));
        }
        sb.append(String.format("chunks: %d added, %d skipped (already indexed), %d removed, %d failed%n",
                chunksAdded, chunksSkipped, chunksRemoved, chunksFailed));
        sb.append(String.format("time: %.2f s wall, %.1f chunks/s; busy per stage:", wallTime.toMillis() / 1000.0, chunksPerSecond()));
        stageTimes.forEach((k, v) -> sb.append(String.format(" %s %.2f s", k, v.toMillis() / 1000.0)));
        sb.append(System.lineSeparator());
        if (!embedderCounters.isEmpty()) {
            sb.append("embedder:");
            embedderCounters.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
