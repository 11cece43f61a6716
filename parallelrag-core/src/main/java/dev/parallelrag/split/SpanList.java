package dev.parallelrag.split;

import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A growable list of {@code [start, end)} pairs in two int arrays. Splitters track pieces and chunks
 * as offsets here instead of allocating strings, and only cut the final chunk strings at the end.
 * Not thread-safe: each split call owns its lists.
 */
final class SpanList {

    private int[] starts;
    private int[] ends;
    private int size;

    SpanList(int capacity) {
        starts = new int[Math.max(4, capacity)];
        ends = new int[starts.length];
    }

    void add(int start, int end) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    /** Adds the span unless it is empty (LangChain drops empty pieces). */
    void addNonEmpty(int start, int end) {
        if (end > start) {
            add(start, end);
        }
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    List<TextSpan> toSpans() {
        List<TextSpan> spans = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            spans.add(new TextSpan(starts[i], ends[i]));
        }
        return spans;
    }

    List<Chunk> toChunks(Document document) {
        String text = document.text();
        List<Chunk> chunks = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            chunks.add(new Chunk(document.id(), i, starts[i], ends[i], text.substring(starts[i], ends[i]),
                    document.metadata()));
        }
        return chunks;
    }
}
