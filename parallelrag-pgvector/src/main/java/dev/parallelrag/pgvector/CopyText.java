package dev.parallelrag.pgvector;

import dev.parallelrag.store.StoredChunk;

/** Rows in the text format of PostgreSQL's {@code COPY ... FROM STDIN}: tab-separated, backslash-escaped. */
final class CopyText {

    private CopyText() {
    }

    /** Appends one chunk in the column order of the store's staging table. */
    static void row(StringBuilder out, StoredChunk chunk, String metadataJson) {
        field(out, chunk.id()).append('\t');
        field(out, chunk.documentId()).append('\t');
        field(out, chunk.source()).append('\t');
        out.append(chunk.start()).append('\t').append(chunk.end()).append('\t');
        field(out, chunk.text()).append('\t');
        field(out, chunk.contentHash()).append('\t');
        field(out, chunk.modelId()).append('\t');
        field(out, metadataJson).append('\t');
        out.append(PgVectorStore.vectorLiteral(chunk.vector())).append('\n');
    }

    private static StringBuilder field(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }
}
