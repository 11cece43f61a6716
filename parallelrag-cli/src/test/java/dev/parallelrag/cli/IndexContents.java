package dev.parallelrag.cli;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import java.nio.file.Path;
import java.util.List;

/** What an index holds, as text to compare two indexes by: for tests whose runs must converge to the same index. */
final class IndexContents {

    private IndexContents() {
    }

    /** Chunk count and every chunk (id and text) that a keyword search for "the" finds, which is every chunk here. */
    static String of(Path index) {
        try (ParallelRag rag = ParallelRag.open(index)) {
            List<SearchHit> hits = rag.search("the", 1000, SearchMode.KEYWORD);
            StringBuilder s = new StringBuilder("chunks " + rag.stats().chunks() + "\n");
            hits.stream().map(h -> h.chunkId() + " " + h.text()).sorted().forEach(line -> s.append(line).append('\n'));
            return s.toString();
        }
    }
}
