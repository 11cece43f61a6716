package dev.parallelrag.embed.cache;

import dev.parallelrag.embed.EmbeddingSpace;
import dev.parallelrag.embed.InputType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * SHA-256 of the embedding space, the input type and the text. The same text under another model,
 * revision, dimension or normalisation, or embedded as a query rather than a document, is another entry:
 * two spaces can never share a vector.
 */
public record CacheKey(long a, long b, long c, long d) {

    static final int BYTES = 32;

    public static CacheKey of(EmbeddingSpace space, InputType inputType, String text) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(text, "text");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        // every part is length-prefixed, so no two different part lists hash the same bytes
        part(sha, space.provider());
        part(sha, space.modelId());
        part(sha, space.revision());
        part(sha, Integer.toString(space.dimension()));
        part(sha, space.normalized() ? "l2" : "raw");
        part(sha, inputType.name());
        part(sha, text);
        return read(ByteBuffer.wrap(sha.digest()));
    }

    private static void part(MessageDigest sha, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    static CacheKey read(ByteBuffer buf) {
        return new CacheKey(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

    void write(ByteBuffer buf) {
        buf.putLong(a).putLong(b).putLong(c).putLong(d);
    }
}
