package dev.parallelrag.split;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.io.InputSource;
import dev.parallelrag.io.InputUnreadableException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Splits inputs of any size with memory bounded by the segment size, not the input size.
 *
 * <p>Each input is read in segments of at most {@code segmentChars} UTF-16 units, cut at a safe boundary
 * (the last {@code "\n\n"} in the second half of the window, else the last {@code "\n"}, else the last
 * whitespace, else the window's end without splitting a surrogate pair). Each segment is split by the
 * wrapped {@link TextSplitter}; chunk offsets are moved to offsets into the whole input and chunk indices
 * are numbered through the whole input.
 *
 * <p><b>Small inputs.</b> An input of at most {@code segmentChars} units is one segment, so its chunks are
 * exactly those of {@code splitter.split(new Document(id, wholeText))}.
 *
 * <p><b>Seams.</b> In a larger input, no chunk crosses a segment boundary: the last chunk before a seam may
 * be shorter than the others, overlap does not reach across the seam, and the separator at the cut (e.g.
 * {@code "\n\n"}) ends the earlier segment rather than starting the next one (which matters only with
 * whitespace stripping off). Every chunk is still the exact slice of the input at its offsets, and chunks
 * stay in order. With the default of 4 Mi units a seam falls only every few megabytes, at a paragraph break
 * when the text has one.
 *
 * <p><b>Parallelism and memory.</b> With a {@link ParallelRuntime}, segments (of one input or of many small
 * inputs) are split on its CPU pool, at most {@code window} segments in flight; results are delivered in
 * input order, identical to a sequential run. Without one, everything runs on the caller's thread. Peak
 * memory is about {@code (window + 1) × segmentChars × 2} bytes of text, plus the chunks of those segments.
 *
 * <p>Immutable and thread-safe; one {@link #splitAll} call delivers to its sink on the calling thread.
 */
public final class StreamingSplitter {

    /** Default segment size in UTF-16 units: 4 Mi (8 MiB of chars). */
    public static final int DEFAULT_SEGMENT_CHARS = 4 * 1024 * 1024;
    /** Smallest allowed segment size, so each segment holds a meaningful amount of text. */
    public static final int MIN_SEGMENT_CHARS = 16;

    private final TextSplitter splitter;
    private final int segmentChars;
    private final ParallelRuntime runtime; // null: sequential on the caller's thread
    private final int window;

    private StreamingSplitter(Builder b) {
        this.splitter = b.splitter;
        this.segmentChars = b.segmentChars;
        this.runtime = b.runtime;
        this.window = b.window > 0 ? b.window : (runtime == null ? 1 : 2 * runtime.config().cpuPoolSize());
    }

    public static Builder builder(TextSplitter splitter) {
        return new Builder(splitter);
    }

    /** A sequential streaming splitter with the default segment size. */
    public static StreamingSplitter of(TextSplitter splitter) {
        return builder(splitter).build();
    }

    public int segmentChars() {
        return segmentChars;
    }

    /** What happened to a run over many sources. */
    public record Summary(int sources, int failedSources, long chunks) {
    }

    /**
     * Splits the sources in order, delivering every chunk and one finished-or-failed call per source to the
     * sink. A failing source (unreadable, invalid UTF-8, or a splitter error) does not stop the others.
     *
     * @throws IOException only when the sink throws it; the run stops there
     */
    public Summary splitAll(Iterable<InputSource> sources, StreamSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Delivery delivery = new Delivery(sink);
        Iterator<Work> work = new WorkIterator(sources.iterator(), segmentChars);
        try {
            if (runtime == null) {
                while (work.hasNext()) {
                    delivery.accept(process(work.next()));
                }
            } else {
                try (Stream<Outcome<Result>> results = runtime.streamCpu(work, window, this::process)) {
                    Iterator<Outcome<Result>> it = results.iterator();
                    while (it.hasNext()) {
                        delivery.accept(it.next().orElseThrow()); // process() never throws
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            ((WorkIterator) work).closeCurrent();
        }
        return new Summary(delivery.sources, delivery.failed, delivery.chunks);
    }

    /**
     * Splits one text read from a reader, delivering chunks to the consumer.
     *
     * @return the number of chunks
     * @throws IOException if the reader or the consumer fails
     * @throws RuntimeException the typed error of a failing input (e.g. {@code InvalidUtf8Exception}) or splitter
     */
    public long split(String sourceId, Reader reader, ChunkConsumer consumer) throws IOException {
        Objects.requireNonNull(consumer, "consumer");
        long[] count = new long[1];
        Exception[] failure = new Exception[1];
        splitAll(List.of(new InputSource(sourceId, () -> reader)), new StreamSink() {
            @Override
            public void chunk(StreamedChunk chunk) throws IOException {
                consumer.accept(chunk);
            }

            @Override
            public void sourceFinished(String id, long chunks) {
                count[0] = chunks;
            }

            @Override
            public void sourceFailed(String id, Exception error) {
                failure[0] = error;
            }
        });
        if (failure[0] instanceof InputUnreadableException e && e.getCause() instanceof IOException io) {
            throw io;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return count[0];
    }

    /** Receives the chunks of {@link #split(String, Reader, ChunkConsumer)}. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(StreamedChunk chunk) throws IOException;
    }

    @Override
    public String toString() {
        return "StreamingSplitter[splitter=" + splitter + ", segmentChars=" + segmentChars
                + ", parallel=" + (runtime != null) + ", window=" + window + "]";
    }

    // ---- the pipeline: WorkIterator (reads, caller thread) -> process (CPU pool) -> Delivery (caller thread)

    /** An item read from the sources, in input order. */
    private sealed interface Work {
        int sourceNo();

        String sourceId();
    }

    private record Piece(int sourceNo, String sourceId, TextSegments.Segment segment) implements Work {
    }

    private record ReadFailed(int sourceNo, String sourceId, Exception error) implements Work {
    }

    private record SourceEnd(int sourceNo, String sourceId) implements Work {
    }

    /** A chunk of a segment, before its index in the whole input is known. */
    private record Cut(long start, long end, long codePointStart, long codePointEnd, String text) {
    }

    private sealed interface Result {
        Work work();
    }

    private record Cuts(Work work, List<Cut> cuts) implements Result {
    }

    private record Failed(Work work, Exception error) implements Result {
    }

    private record Passed(Work work) implements Result {
    }

    private Result process(Work work) {
        return switch (work) {
            case Piece p -> splitPiece(p);
            case ReadFailed f -> new Failed(f, f.error());
            case SourceEnd e -> new Passed(e);
        };
    }

    private Result splitPiece(Piece piece) {
        TextSegments.Segment segment = piece.segment();
        try {
            List<Chunk> chunks = splitter.split(new Document(piece.sourceId(), segment.text()));
            CodePointCursor cursor = new CodePointCursor(segment.text());
            List<Cut> cuts = new ArrayList<>(chunks.size());
            for (Chunk c : chunks) {
                long cpStart = segment.codePointBase() + cursor.toCodePoints(c.start());
                long cpEnd = segment.codePointBase() + cursor.toCodePoints(c.end());
                cuts.add(new Cut(segment.charBase() + c.start(), segment.charBase() + c.end(), cpStart, cpEnd, c.text()));
            }
            return new Cuts(piece, cuts);
        } catch (RuntimeException e) {
            return new Failed(piece, e);
        }
    }

    /** Numbers chunks per source and tells the sink about each source exactly once. */
    private static final class Delivery {
        private final StreamSink sink;
        private int currentSource = -1;
        private boolean currentFailed;
        private long index;
        private int sources;
        private int failed;
        private long chunks;

        Delivery(StreamSink sink) {
            this.sink = sink;
        }

        void accept(Result result) {
            Work work = result.work();
            if (work.sourceNo() != currentSource) {
                currentSource = work.sourceNo();
                currentFailed = false;
                index = 0;
                sources++;
            }
            if (currentFailed) {
                return; // the source already failed; the rest of it was read but is not delivered
            }
            try {
                switch (result) {
                    case Cuts c -> {
                        for (Cut cut : c.cuts()) {
                            sink.chunk(new StreamedChunk(work.sourceId(), index++, cut.start(), cut.end(),
                                    cut.codePointStart(), cut.codePointEnd(), cut.text()));
                        }
                        chunks += c.cuts().size();
                    }
                    case Failed f -> {
                        currentFailed = true;
                        failed++;
                        sink.sourceFailed(work.sourceId(), f.error());
                    }
                    case Passed p -> sink.sourceFinished(work.sourceId(), index);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Opens sources one at a time and reads them segment by segment, turning failures into items. */
    private static final class WorkIterator implements Iterator<Work> {
        private final Iterator<InputSource> sources;
        private final int segmentChars;
        private int sourceNo = -1;
        private String sourceId;
        private Reader reader;
        private TextSegments segments;
        private Work next;

        WorkIterator(Iterator<InputSource> sources, int segmentChars) {
            this.sources = sources;
            this.segmentChars = segmentChars;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = compute();
            }
            return next != null;
        }

        @Override
        public Work next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Work w = next;
            next = null;
            return w;
        }

        private Work compute() {
            if (segments == null) {
                if (!sources.hasNext()) {
                    return null;
                }
                InputSource source = sources.next();
                sourceNo++;
                sourceId = source.id();
                try {
                    reader = source.open();
                    segments = new TextSegments(reader, segmentChars);
                } catch (RuntimeException e) {
                    return new ReadFailed(sourceNo, sourceId, e);
                }
            }
            try {
                TextSegments.Segment segment = segments.next();
                if (segment != null) {
                    return new Piece(sourceNo, sourceId, segment);
                }
                closeCurrent();
                return new SourceEnd(sourceNo, sourceId);
            } catch (IOException e) {
                closeCurrent();
                return new ReadFailed(sourceNo, sourceId, InputUnreadableException.of(sourceId, e));
            } catch (RuntimeException e) {
                closeCurrent();
                return new ReadFailed(sourceNo, sourceId, e);
            }
        }

        void closeCurrent() {
            segments = null;
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // the text was fully read or already failed; a failing close changes nothing for the output
                }
                reader = null;
            }
        }
    }

    /** Validating builder. */
    public static final class Builder {
        private final TextSplitter splitter;
        private int segmentChars = DEFAULT_SEGMENT_CHARS;
        private ParallelRuntime runtime;
        private int window;

        private Builder(TextSplitter splitter) {
            this.splitter = Objects.requireNonNull(splitter, "splitter");
        }

        /** Largest segment in UTF-16 units (default {@value #DEFAULT_SEGMENT_CHARS}, at least {@value #MIN_SEGMENT_CHARS}). */
        public Builder segmentChars(int segmentChars) {
            this.segmentChars = segmentChars;
            return this;
        }

        /** Split segments on this runtime's CPU pool (borrowed, not closed); default: the caller's thread. */
        public Builder runtime(ParallelRuntime runtime) {
            this.runtime = runtime;
            return this;
        }

        /** Segments in flight with a {@link #runtime} (default twice its CPU pool size); at least 1; needs a runtime. */
        public Builder window(int window) {
            if (window < 1) {
                throw new ValidationException("window", window, "must be at least 1 segment");
            }
            this.window = window;
            return this;
        }

        public StreamingSplitter build() {
            if (window > 0 && runtime == null) {
                // without a runtime segments are split one at a time on the caller's thread: a window would do nothing
                throw new ValidationException("window", window,
                        "applies only with a runtime to split on; add runtime(...) or remove window(...)");
            }
            if (segmentChars < MIN_SEGMENT_CHARS || segmentChars == Integer.MAX_VALUE) {
                throw new ValidationException("segmentChars", segmentChars,
                        "must be between " + MIN_SEGMENT_CHARS + " and " + (Integer.MAX_VALUE - 1));
            }
            return new StreamingSplitter(this);
        }
    }
}
