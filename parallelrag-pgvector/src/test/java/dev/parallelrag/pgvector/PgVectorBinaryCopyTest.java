package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.store.StoredChunk;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every value a chunk holds survives the binary COPY of a write exactly, read back with plain SQL. */
class PgVectorBinaryCopyTest {

    private static final String AWKWARD_TEXT = "tab\there, newline\nCR\r backslash \\ \\N \"quoted\" 'single'"
            + " ünïcödé 日本語 emoji 😀👍🏽 combining é, RTL שלום, zero-width\u200b, ascii DEL \u007f \u0001";

    private final List<String> tables = new ArrayList<>();

    @AfterEach
    void dropTables() {
        tables.forEach(TestDatabase::drop);
    }

    @Test
    void vectorTableKeepsEveryFloatBitAndEveryString() {
        float[] edge = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                -Float.MAX_VALUE, 0.1f, 1e-30f, 3.4028e37f, (float) Math.PI, Math.nextUp(1f)};
        float[] random = new float[64];
        Random r = new Random(7);
        for (int i = 0; i < random.length; i++) {
            random[i] = (float) r.nextGaussian() * (float) Math.pow(10, r.nextInt(20) - 10);
        }
        float[] first = new float[64];
        System.arraycopy(edge, 0, first, 0, edge.length);
        List<StoredChunk> chunks = List.of(chunk("edge-values", AWKWARD_TEXT, first), chunk("random", "plain", random));

        Map<String, StoredChunk> read = writeAndReadBack(chunks, "vector");

        for (StoredChunk written : chunks) {
            assertSameChunk(read.get(written.id()), written, written.vector());
        }
    }

    @Test
    void halfvecTableKeepsEveryValueAsItsNearestHalfFloat() {
        int dim = PgVectorConfig.MAX_VECTOR_DIMENSIONS + 1;
        float[] vector = new float[dim];
        Random r = new Random(11);
        for (int i = 0; i < dim; i++) {
            vector[i] = (float) r.nextGaussian();
        }
        float[] edge = {0f, -0f, 1f, -1f, 65504f, -65504f, 6.1e-5f, 6e-8f, 1.0009765625f, 0.1f, 1.00048828125f};
        System.arraycopy(edge, 0, vector, 0, edge.length);
        StoredChunk written = chunk("half", AWKWARD_TEXT, vector);
        float[] expected = new float[dim];
        for (int i = 0; i < dim; i++) {
            expected[i] = Float.float16ToFloat(Float.floatToFloat16(vector[i]));
        }

        Map<String, StoredChunk> read = writeAndReadBack(List.of(written), "halfvec");

        assertSameChunk(read.get(written.id()), written, expected);
        assertThat(read.get(written.id()).vector()[edge.length - 1])
                .as("a tie between two half floats rounds to the even one, as halfvec's text input does")
                .isEqualTo(1.0f);
    }

    private Map<String, StoredChunk> writeAndReadBack(List<StoredChunk> chunks, String type) {
        String table = TestDatabase.freshTable("binary");
        tables.add(table);
        try (PgVectorStore store = PgVectorStore.open(TestDatabase.config(table).build())) {
            store.upsert(chunks);
        }
        Map<String, StoredChunk> read = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(TestDatabase.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, document_id, source, start_offset, end_offset, content,"
                     + " content_hash, model_id, metadata::text, embedding::text, pg_typeof(embedding)::text from "
                     + table)) {
            while (rs.next()) {
                assertThat(rs.getString(11)).isEqualTo(type);
                read.put(rs.getString(1), new StoredChunk(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getInt(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        metadata(rs.getString(9)), parseVector(rs.getString(10))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return read;
    }

    private static void assertSameChunk(StoredChunk read, StoredChunk written, float[] expectedVector) {
        assertThat(read).isNotNull();
        assertThat(read.documentId()).isEqualTo(written.documentId());
        assertThat(read.source()).isEqualTo(written.source());
        assertThat(read.start()).isEqualTo(written.start());
        assertThat(read.end()).isEqualTo(written.end());
        assertThat(read.text()).isEqualTo(written.text());
        assertThat(read.contentHash()).isEqualTo(written.contentHash());
        assertThat(read.modelId()).isEqualTo(written.modelId());
        assertThat(read.metadata()).isEqualTo(written.metadata());
        assertThat(read.vector()).hasSize(expectedVector.length);
        for (int i = 0; i < expectedVector.length; i++) {
            assertThat(Float.floatToRawIntBits(read.vector()[i]))
                    .as("element %d: read %s, wrote %s", i, read.vector()[i], expectedVector[i])
                    .isEqualTo(Float.floatToRawIntBits(expectedVector[i]));
        }
    }

    private static StoredChunk chunk(String id, String text, float[] vector) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("plain", "v");
        metadata.put("awkward", AWKWARD_TEXT);
        metadata.put("ключ 😀", "");
        return new StoredChunk(id + " ü\t😀", "doc \\ " + id, "/tmp/ünï code/" + id + ".txt", 3, 3 + text.length(),
                text, "hash-" + id, "model ✓", metadata, vector);
    }

    private static Map<String, String> metadata(String json) {
        try {
            return new ObjectMapper().readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** pgvector prints each element as the shortest decimal that reads back as the same float. */
    private static float[] parseVector(String literal) {
        String[] parts = literal.substring(1, literal.length() - 1).split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return v;
    }
}
