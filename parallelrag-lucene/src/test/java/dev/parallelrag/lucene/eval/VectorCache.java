package dev.parallelrag.lucene.eval;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Chunk embeddings computed once by the real model and kept as a test resource, keyed by the
 * SHA-256 of the chunk text, stored as half-precision floats. It only saves time: the evaluation
 * embeds any chunk missing from the cache live, ignores a cache made by another model, and checks
 * a sample of cached vectors against the live model before trusting it.
 *
 * <p>Format (gzip): UTF {@code modelId}, int dimension, int count, then per entry 32 bytes of
 * SHA-256 and {@code dimension} float16 values.
 */
final class VectorCache {

    private final String modelId;
    private final int dimension;
    private final Map<String, float[]> byTextHash;

    private VectorCache(String modelId, int dimension, Map<String, float[]> byTextHash) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.byTextHash = byTextHash;
    }

    static VectorCache empty(String modelId, int dimension) {
        return new VectorCache(modelId, dimension, new LinkedHashMap<>());
    }

    /** Loads the resource, or returns an empty cache when it is missing or made by another model. */
    static VectorCache load(String resource, String modelId, int dimension) {
        try (InputStream raw = VectorCache.class.getResourceAsStream(resource)) {
            if (raw == null) {
                return empty(modelId, dimension);
            }
            DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
            String storedModel = in.readUTF();
            int storedDim = in.readInt();
            int count = in.readInt();
            if (!storedModel.equals(modelId) || storedDim != dimension) {
                return empty(modelId, dimension);
            }
            Map<String, float[]> map = new HashMap<>(count * 2);
            byte[] hash = new byte[32];
            for (int i = 0; i < count; i++) {
                in.readFully(hash);
                float[] v = new float[storedDim];
                for (int d = 0; d < storedDim; d++) {
                    v[d] = Float.float16ToFloat(in.readShort());
                }
                map.put(HexFormat.of().formatHex(hash), v);
            }
            return new VectorCache(modelId, dimension, map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    float[] get(String text) {
        return byTextHash.get(sha256(text));
    }

    /** Stores the vector rounded to half precision, exactly as a reload of the written file would return it. */
    float[] put(String text, float[] vector) {
        float[] rounded = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            rounded[i] = Float.float16ToFloat(Float.floatToFloat16(vector[i]));
        }
        byTextHash.put(sha256(text), rounded);
        return rounded.clone();
    }

    int size() {
        return byTextHash.size();
    }

    /** Writes the cache (entries in insertion order, so the file is reproducible). */
    void write(Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
                out.writeUTF(modelId);
                out.writeInt(dimension);
                out.writeInt(byTextHash.size());
                for (Map.Entry<String, float[]> e : byTextHash.entrySet()) {
                    out.write(HexFormat.of().parseHex(e.getKey()));
                    for (float f : e.getValue()) {
                        out.writeShort(Float.floatToFloat16(f));
                    }
                }
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
