package dev.parallelrag.split;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the boundaries between BPE tokens to UTF-16 offsets in the source text.
 *
 * <p>A token is a run of UTF-8 bytes, and a token boundary can fall inside a multi-byte character (an
 * emoji is often two or three tokens). Such a boundary is moved to the nearest character boundary
 * (on a tie, to the later one). The mapping is a monotone function of the byte offset, so adjacent
 * windows that share a token boundary share the moved character offset: no character is lost or
 * duplicated by the move. Surrogate pairs are never split.
 */
final class TokenBoundaries {

    /** Byte lengths of token ids, per encoding; 0 means "not computed yet". Racy fills are idempotent. */
    private static final Map<String, int[]> BYTE_LENGTHS = new ConcurrentHashMap<>();
    private static final int CACHED_IDS = 1 << 18; // covers o200k_base (~200k ids)

    private TokenBoundaries() {
    }

    /**
     * Returns {@code offsets} of length {@code tokens.size() + 1}: {@code offsets[i]} is the UTF-16 offset
     * where token {@code i} starts (after moving to a character boundary), and the last entry is the end.
     */
    static int[] charOffsets(Encoding encoding, String text, IntArrayList tokens) {
        int n = tokens.size();
        int[] offsets = new int[n + 1];
        int[] lengths = BYTE_LENGTHS.computeIfAbsent(encoding.getName(), k -> new int[CACHED_IDS]);
        IntArrayList single = new IntArrayList(1);

        int charPos = 0;        // UTF-16 index of the current character
        long charByteStart = 0; // byte offset where that character starts
        long tokenByte = 0;     // byte offset of the current token boundary
        for (int i = 0; i <= n; i++) {
            // advance whole characters while they end at or before the boundary
            while (charPos < text.length()) {
                int width = utf8Width(text, charPos);
                if (charByteStart + width > tokenByte) {
                    break;
                }
                charByteStart += width;
                charPos += isPair(text, charPos) ? 2 : 1;
            }
            if (charByteStart == tokenByte || charPos >= text.length()) {
                offsets[i] = charPos;
            } else {
                // boundary inside a character: move to the nearer edge, the later one on a tie
                int width = utf8Width(text, charPos);
                long intoChar = tokenByte - charByteStart;
                offsets[i] = intoChar * 2 < width ? charPos : charPos + (isPair(text, charPos) ? 2 : 1);
            }
            if (i < n) {
                tokenByte += byteLength(encoding, tokens.get(i), lengths, single);
            }
        }
        offsets[n] = text.length(); // the last token always ends at the end of the text
        for (int i = n - 1; i >= 0 && offsets[i] > offsets[i + 1]; i--) {
            offsets[i] = offsets[i + 1]; // keep the mapping monotone even if byte accounting ever drifted
        }
        return offsets;
    }

    private static boolean isPair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }

    /** UTF-8 width of the character at {@code i}; the text has no lone surrogates (see {@link WellFormedText}). */
    private static int utf8Width(String text, int i) {
        char c = text.charAt(i);
        if (isPair(text, i)) {
            return 4;
        }
        if (c < 0x80) {
            return 1;
        }
        return c < 0x800 ? 2 : 3;
    }

    private static int byteLength(Encoding encoding, int token, int[] cache, IntArrayList single) {
        if (token >= 0 && token < cache.length) {
            int cached = cache[token];
            if (cached != 0) {
                return cached;
            }
        }
        single.clear();
        single.add(token);
        int length = encoding.decodeBytes(single).length;
        if (token >= 0 && token < cache.length) {
            cache[token] = length;
        }
        return length;
    }
}
