package dev.parallelrag.split;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Splits many documents in parallel on a runtime's CPU pool, one document per task. Output is identical
 * to splitting the documents one after another, in the same order: each document is split by the same
 * immutable splitter, and results are put back in input order.
 *
 * <p>Three forms:
 * <ul>
 *   <li>{@link #splitAll(List)}: all chunks, flattened in document order; fails if any document fails;</li>
 *   <li>{@link #splitEach(List)}: one {@link SplitResult} per document, each with its chunks or its own error;</li>
 *   <li>{@link #stream(Iterator)}: the streaming form of {@code splitEach} for inputs larger than memory; at
 *       most {@code window} documents are held (being split or waiting to be consumed) at any time.</li>
 * </ul>
 * Thread-safe; the runtime is borrowed, not owned (closing it is the caller's job).
 */
public final class BatchSplitter {

    private final TextSplitter splitter;
    private final ParallelRuntime runtime;
    private final int window;

    /** Uses a streaming window of twice the runtime's CPU pool size. */
    public BatchSplitter(TextSplitter splitter, ParallelRuntime runtime) {
        this(splitter, runtime, 2 * Objects.requireNonNull(runtime, "runtime").config().cpuPoolSize());
    }

    /**
     * @param window documents in flight in {@link #stream(Iterator)}: read but not yet consumed. At least 1.
     */
    public BatchSplitter(TextSplitter splitter, ParallelRuntime runtime, int window) {
        this.splitter = Objects.requireNonNull(splitter, "splitter");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        if (window < 1) {
            throw new ValidationException("window", window, "must be at least 1 document");
        }
        this.window = window;
    }

    /** The chunks of one document, or the error splitting it raised. */
    public record SplitResult(String documentId, Outcome<List<Chunk>> chunks) {
        public SplitResult {
            Objects.requireNonNull(documentId, "documentId");
            Objects.requireNonNull(chunks, "chunks");
        }
    }

    /**
     * All chunks of all documents, in document order and chunk order.
     *
     * @throws IllegalStateException naming the first document whose splitting failed (the cause is attached)
     */
    public List<Chunk> splitAll(List<Document> documents) {
        List<Chunk> all = new ArrayList<>();
        for (SplitResult result : splitEach(documents)) {
            all.addAll(unwrap(result));
        }
        return all;
    }

    /** One result per document, in input order; a failing document does not affect the others. */
    public List<SplitResult> splitEach(List<Document> documents) {
        List<Outcome<SplitResult>> outcomes = runtime.mapCpu(documents, this::splitOne);
        return outcomes.stream().map(Outcome::orElseThrow).toList();
    }

    /**
     * Streaming form: documents are pulled from the source as results are consumed, split in parallel, and
     * returned in input order. Close the stream to stop early.
     */
    public Stream<SplitResult> stream(Iterator<Document> documents) {
        return runtime.streamCpu(documents, window, this::splitOne).map(Outcome::orElseThrow);
    }

    private SplitResult splitOne(Document document) {
        return new SplitResult(document.id(), Outcome.capture(() -> splitter.split(document)));
    }

    private static List<Chunk> unwrap(SplitResult result) {
        return switch (result.chunks()) {
            case Outcome.Success<List<Chunk>> s -> s.value();
            case Outcome.Failure<List<Chunk>> f -> throw new IllegalStateException(
                    "splitting document '" + result.documentId() + "' failed: " + f.error().getMessage(), f.error());
        };
    }
}
