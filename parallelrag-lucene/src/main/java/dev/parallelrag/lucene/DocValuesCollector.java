package dev.parallelrag.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/**
 * Counts the values of a sorted doc-values field over the documents a query matches (deleted
 * documents excluded by the searcher). Used for id lists and per-model counts without loading
 * stored fields.
 */
final class DocValuesCollector extends SimpleCollector {

    private final String field;
    private final Map<String, Long> counts = new HashMap<>();
    private SortedDocValues values;

    private DocValuesCollector(String field) {
        this.field = field;
    }

    /** A manager that merges per-slice counts. */
    static CollectorManager<DocValuesCollector, Map<String, Long>> counting(String field) {
        return new CollectorManager<>() {
            @Override
            public DocValuesCollector newCollector() {
                return new DocValuesCollector(field);
            }

            @Override
            public Map<String, Long> reduce(Collection<DocValuesCollector> collectors) {
                Map<String, Long> merged = new HashMap<>();
                for (DocValuesCollector c : new ArrayList<>(collectors)) {
                    c.counts.forEach((k, v) -> merged.merge(k, v, Long::sum));
                }
                return merged;
            }
        };
    }

    @Override
    protected void doSetNextReader(LeafReaderContext context) throws IOException {
        values = DocValues.getSorted(context.reader(), field);
    }

    @Override
    public void collect(int doc) throws IOException {
        if (values.advanceExact(doc)) {
            counts.merge(values.lookupOrd(values.ordValue()).utf8ToString(), 1L, Long::sum);
        }
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }
}
