package dev.parallelrag.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content hashes and chunk ids. A chunk id is SHA-256 over (document id, document content hash,
 * splitter fingerprint, chunk index), as 32 hex characters. So the same file split the same way
 * always gives the same ids (re-running adds nothing), and any change to the file or the splitter
 * settings gives new ids (the old chunks are then replaced, never mixed with the new ones).
 * The embedding model is not part of the id: re-embedding with another model replaces the chunk in place.
 */
public final class ChunkIds {

    private static final HexFormat HEX = HexFormat.of();

    private ChunkIds() {
    }

    /** SHA-256 of the UTF-8 bytes of the text, as 64 hex characters. */
    public static String contentHash(String text) {
        return HEX.formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The id of chunk {@code index} of a document. */
    public static String chunkId(String documentId, String documentHash, String splitterFingerprint, int index) {
        MessageDigest digest = sha256();
        for (String part : new String[] {documentId, documentHash, splitterFingerprint, Integer.toString(index)}) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0); // separator: ("ab","c") and ("a","bc") must differ
        }
        return HEX.formatHex(digest.digest(), 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
