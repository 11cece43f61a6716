package dev.parallelrag.engine;

import dev.parallelrag.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One page of an index's documents, ordered by id ({@link ParallelRag#documents}).
 *
 * @param documents the documents of this page, at most {@code size}
 * @param page      the page, from 1
 * @param size      documents per page asked for
 * @param total     documents in the index
 */
public record DocumentPage(List<IndexedDocument> documents, int page, int size, long total) {

    /** Documents per page unless a caller asks for another size. */
    public static final int DEFAULT_SIZE = 50;
    /** The largest page: a listing is one request's work, not a dump of the index. */
    public static final int MAX_SIZE = 1000;

    public DocumentPage {
        documents = List.copyOf(documents);
    }

    /**
     * A document of the index.
     *
     * @param id     the document id
     * @param source where it came from as shown in citations: the path as ingested, an upload's name, or a text's
     *               id (the ingest pipeline records the document id as the source of each chunk)
     * @param chunks chunks stored for it
     */
    public record IndexedDocument(String id, String source, long chunks) {
    }

    /** Whether a page follows this one. */
    public boolean hasMore() {
        return (long) page * size < total;
    }

    static void requireRange(int page, int size) {
        if (page < 1) {
            throw new ValidationException("page", page, "must be at least 1 (the first page)");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new ValidationException("size", size, "must be between 1 and " + MAX_SIZE + " (default " + DEFAULT_SIZE
                    + "); ask for the next page for more");
        }
    }

    /** The page of {@code chunkCounts} (document id to chunks), ordered by id. */
    static DocumentPage of(Map<String, Long> chunkCounts, int page, int size) {
        requireRange(page, size);
        TreeMap<String, Long> sorted = new TreeMap<>(chunkCounts);
        long skip = (long) (page - 1) * size;
        List<IndexedDocument> documents = new ArrayList<>(Math.min(size, sorted.size()));
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            if (skip > 0) {
                skip--;
                continue;
            }
            if (documents.size() == size) {
                break;
            }
            documents.add(new IndexedDocument(e.getKey(), e.getKey(), e.getValue()));
        }
        return new DocumentPage(documents, page, size, sorted.size());
    }
}
