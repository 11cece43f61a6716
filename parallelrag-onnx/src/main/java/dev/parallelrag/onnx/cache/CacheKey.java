package dev.parallelrag.onnx.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of model id and text: the same text under another model is another entry. */
public record CacheKey(long a, long b, long c, long d) {

    static final int BYTES = 32;

    public static CacheKey of(String modelId, String text) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha.update(modelId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        return read(ByteBuffer.wrap(sha.digest()));
    }

    static CacheKey read(ByteBuffer buf) {
        return new CacheKey(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

    void write(ByteBuffer buf) {
        buf.putLong(a).putLong(b).putLong(c).putLong(d);
    }
}
