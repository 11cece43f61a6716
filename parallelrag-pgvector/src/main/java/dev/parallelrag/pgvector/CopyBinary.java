package dev.parallelrag.pgvector;

import dev.parallelrag.store.StoredChunk;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in the binary format of PostgreSQL's {@code COPY ... FROM STDIN (FORMAT binary)}, in the column order of the
 * store's staging table. Binary because the server then reads each float of a vector as four bytes instead of parsing
 * its decimal text, which was three quarters of the cost of a text-format COPY of 384-dimensional rows.
 */
final class CopyBinary implements AutoCloseable {

    /** The signature, flags and header-extension length that open every binary COPY stream. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};
    private static final int COLUMNS = 10;
    /** The first byte of jsonb's binary form: the only version PostgreSQL reads. */
    private static final int JSONB_VERSION = 1;

    private final DataOutputStream out;
    private final boolean half;

    /**
     * Starts a stream on {@code out}; {@code half} writes vectors as pgvector's {@code halfvec} (two-byte floats)
     * instead of {@code vector}.
     */
    CopyBinary(OutputStream out, boolean half) throws IOException {
        this.out = new DataOutputStream(out);
        this.half = half;
        this.out.write(HEADER);
    }

    /** Appends one chunk. */
    void row(StoredChunk chunk, String metadataJson) throws IOException {
        out.writeShort(COLUMNS);
        text(chunk.id());
        text(chunk.documentId());
        text(chunk.source());
        integer(chunk.start());
        integer(chunk.end());
        text(chunk.text());
        text(chunk.contentHash());
        text(chunk.modelId());
        byte[] json = metadataJson.getBytes(StandardCharsets.UTF_8);
        out.writeInt(json.length + 1);
        out.writeByte(JSONB_VERSION);
        out.write(json);
        vector(chunk.vector());
    }

    private void text(String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private void integer(int value) throws IOException {
        out.writeInt(4);
        out.writeInt(value);
    }

    /** pgvector's {@code vector_recv}/{@code halfvec_recv} form: int16 dimension, int16 zero, then the elements. */
    private void vector(float[] vector) throws IOException {
        int elementSize = half ? Short.BYTES : Float.BYTES;
        out.writeInt(2 * Short.BYTES + vector.length * elementSize);
        out.writeShort(vector.length);
        out.writeShort(0);
        for (float v : vector) {
            if (half) {
                // rounds to nearest even like halfvec's text input; the server rejects what overflows to infinity
                out.writeShort(Float.floatToFloat16(v));
            } else {
                out.writeFloat(v);
            }
        }
    }

    /** Writes the trailer and ends the COPY. */
    @Override
    public void close() throws IOException {
        out.writeShort(-1);
        out.close();
    }
}
