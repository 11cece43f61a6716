package dev.parallelrag.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * Every chunk of a Lucene index as Lucene holds it, read with Lucene itself rather than through the store, so a
 * chunk written twice shows up twice. The field names are those of {@code dev.parallelrag.lucene.ChunkDocuments}
 * (package-private there): a rename there makes the tests that use this fail, not pass.
 */
final class IndexedChunks {

    /** One live Lucene document of a chunk: its id, document, text and vector as stored (normalised at write). */
    record IndexedChunk(String id, String documentId, String text, float[] vector) {
    }

    private IndexedChunks() {
    }

    static List<IndexedChunk> read(Path index) throws IOException {
        List<IndexedChunk> chunks = new ArrayList<>();
        try (Directory directory = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                LeafReader segment = leaf.reader();
                Map<Integer, float[]> vectors = vectors(segment);
                StoredFields stored = segment.storedFields();
                Bits live = segment.getLiveDocs();
                for (int doc = 0; doc < segment.maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document d = stored.document(doc);
                    if (d.get("id") != null) { // index metadata lives in documents of its own, without an id
                        chunks.add(new IndexedChunk(d.get("id"), d.get("doc_id"), d.get("text"), vectors.get(doc)));
                    }
                }
            }
        }
        return chunks;
    }

    private static Map<Integer, float[]> vectors(LeafReader segment) throws IOException {
        Map<Integer, float[]> byDoc = new HashMap<>();
        FloatVectorValues values = segment.getFloatVectorValues("vector");
        if (values == null) {
            return byDoc;
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
            byDoc.put(doc, values.vectorValue(it.index()).clone());
        }
        return byDoc;
    }
}
