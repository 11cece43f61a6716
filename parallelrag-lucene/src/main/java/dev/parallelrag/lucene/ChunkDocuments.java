package dev.parallelrag.lucene;

import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.Vectors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * The mapping between {@link StoredChunk} and a Lucene document, and from {@link MetadataFilter}
 * to a Lucene query. One place owns the field names so that writer and reader cannot drift apart.
 */
final class ChunkDocuments {

    static final String ID = "id";
    static final String DOCUMENT_ID = "doc_id";
    static final String SOURCE = "source";
    static final String MODEL_ID = "model_id";
    static final String CONTENT_HASH = "content_hash";
    static final String START = "start";
    static final String END = "end";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    /** Metadata entries are indexed as exact-match fields under this prefix. */
    static final String METADATA_PREFIX = "m.";

    /**
     * Vectors are normalised at write time and compared with DOT_PRODUCT, which equals cosine on
     * unit vectors and skips the per-comparison norm computation COSINE needs.
     */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    private ChunkDocuments() {
    }

    static Term idTerm(String chunkId) {
        return new Term(ID, chunkId);
    }

    static Document toDocument(StoredChunk c) {
        Document d = new Document();
        d.add(new StringField(ID, c.id(), Field.Store.YES));
        d.add(new SortedDocValuesField(ID, new BytesRef(c.id())));
        d.add(new StringField(DOCUMENT_ID, c.documentId(), Field.Store.YES));
        d.add(new SortedDocValuesField(DOCUMENT_ID, new BytesRef(c.documentId())));
        d.add(new StringField(SOURCE, c.source(), Field.Store.YES));
        d.add(new StringField(MODEL_ID, c.modelId(), Field.Store.YES));
        d.add(new SortedDocValuesField(MODEL_ID, new BytesRef(c.modelId())));
        d.add(new StringField(CONTENT_HASH, c.contentHash(), Field.Store.YES));
        d.add(new StoredField(START, c.start()));
        d.add(new StoredField(END, c.end()));
        d.add(new TextField(TEXT, c.text(), Field.Store.YES));
        d.add(new KnnFloatVectorField(VECTOR, Vectors.normalized(c.vector()), SIMILARITY));
        c.metadata().forEach((k, v) -> d.add(new StringField(METADATA_PREFIX + k, v, Field.Store.YES)));
        return d;
    }

    static SearchHit toHit(Document d, double score) {
        Map<String, String> metadata = new HashMap<>();
        for (IndexableField f : d.getFields()) {
            if (f.name().startsWith(METADATA_PREFIX)) {
                metadata.put(f.name().substring(METADATA_PREFIX.length()), f.stringValue());
            }
        }
        return new SearchHit(d.get(ID), score, d.get(DOCUMENT_ID), d.get(SOURCE),
                d.getField(START).numericValue().intValue(), d.getField(END).numericValue().intValue(),
                d.get(TEXT), d.get(CONTENT_HASH), d.get(MODEL_ID), metadata);
    }

    /** The Lucene field a filter key addresses. */
    static String field(String key) {
        return switch (key) {
            case MetadataFilter.DOCUMENT_ID -> DOCUMENT_ID;
            case MetadataFilter.SOURCE -> SOURCE;
            case MetadataFilter.MODEL_ID -> MODEL_ID;
            case MetadataFilter.CONTENT_HASH -> CONTENT_HASH;
            default -> METADATA_PREFIX + key;
        };
    }

    /** The filter as a query, or null for "match all" (so kNN can skip filtering entirely). */
    static Query filterQuery(MetadataFilter filter) {
        return filter == null || filter instanceof MetadataFilter.All ? null : toQuery(filter);
    }

    private static Query toQuery(MetadataFilter filter) {
        return switch (filter) {
            case MetadataFilter.All a -> new MatchAllDocsQuery();
            case MetadataFilter.Equals e -> new TermQuery(new Term(field(e.key()), e.value()));
            case MetadataFilter.AnyOf a -> new TermInSetQuery(field(a.key()),
                    a.values().stream().map(BytesRef::new).toList());
            case MetadataFilter.And and -> combine(and.operands(), Occur.FILTER);
            case MetadataFilter.Or or -> combine(or.operands(), Occur.SHOULD);
            case MetadataFilter.Not not -> new BooleanQuery.Builder()
                    .add(new MatchAllDocsQuery(), Occur.FILTER)
                    .add(toQuery(not.operand()), Occur.MUST_NOT)
                    .build();
        };
    }

    private static Query combine(List<MetadataFilter> operands, Occur occur) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (MetadataFilter f : operands) {
            b.add(toQuery(f), occur);
        }
        if (occur == Occur.SHOULD) {
            b.setMinimumNumberShouldMatch(1);
        }
        return b.build();
    }
}
