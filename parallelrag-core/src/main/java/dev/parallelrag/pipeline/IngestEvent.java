package dev.parallelrag.pipeline;

/**
 * Structured progress of an ingest run, delivered in order to an {@link IngestListener} on the thread
 * that runs the pipeline. Counts are cumulative for the run so far.
 */
public sealed interface IngestEvent {

    /** Files were found; the run starts. */
    record Started(int files, String modelId) implements IngestEvent {
    }

    /** A file was read, split and planned: how many chunks it has and how many need embedding. */
    record DocumentPlanned(String source, int chunks, int toEmbed, boolean unchanged) implements IngestEvent {
    }

    /** A batch of chunks was embedded. */
    record BatchEmbedded(int chunks, long embeddedSoFar, long chunksToEmbedSoFar) implements IngestEvent {
    }

    /** A document's new chunks are written and its old ones removed. */
    record DocumentWritten(String source, int added, int skipped, int removed, int documentsDone) implements IngestEvent {
    }

    /** A file failed; the run goes on. */
    record DocumentFailed(FileFailure failure) implements IngestEvent {
    }

    /** A document whose file is gone was removed from the index ({@code --prune}). */
    record DocumentPruned(String documentId, long chunksRemoved) implements IngestEvent {
    }

    /** Writes so far are durable. */
    record Committed(long chunksWritten) implements IngestEvent {
    }

    /** The run is over. */
    record Finished(IngestSummary summary) implements IngestEvent {
    }
}
