package dev.parallelrag.split;

import java.io.IOException;

/**
 * Receives the results of {@link StreamingSplitter#splitAll}, on the caller's thread, in input order.
 * For each source, in order: its chunks in order, then exactly one of {@link #sourceFinished} or
 * {@link #sourceFailed}. An I/O error thrown by the sink stops the whole run.
 */
public interface StreamSink {

    void chunk(StreamedChunk chunk) throws IOException;

    /** The source was read and split completely into {@code chunks} chunks. */
    default void sourceFinished(String sourceId, long chunks) throws IOException {
    }

    /**
     * The source failed: it could not be opened or read ({@code InputUnreadableException}), it is not valid
     * UTF-8 ({@code InvalidUtf8Exception}), or splitting it failed. Chunks of the segments before the
     * failure have already been delivered; nothing more of this source follows.
     */
    void sourceFailed(String sourceId, Exception error) throws IOException;
}
