package dev.parallelrag.split;

import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.List;

/**
 * Splits a document into ordered chunks, each a contiguous slice of the document text.
 * Implementations are immutable and thread-safe.
 */
public interface TextSplitter {

    /** Splits the document; empty or whitespace-only text gives no chunks. */
    List<Chunk> split(Document document);

    /** Convenience form returning only the chunk texts. */
    default List<String> splitText(String text) {
        return split(new Document("text", text)).stream().map(Chunk::text).toList();
    }
}
