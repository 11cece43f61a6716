package dev.parallelrag.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic content the fake server returns, public so tests can compute the expected answer,
 * token counts and vectors for any input without calling the server.
 *
 * <ul>
 *   <li>Answer: {@code "echo: " + lastUserMessage}, cut to {@code maxTokens} pieces when a limit is given.</li>
 *   <li>Tokens: a word ({@code [\p{L}\p{N}]+}) or a single other non-space character is one token.</li>
 *   <li>Embedding: feature hashing of the lower-cased word tokens (each word adds a fixed pseudo-random
 *       vector derived from its SHA-256), L2-normalised; texts that share words have positive cosine
 *       similarity, identical texts get identical vectors. A text without words hashes as a whole.</li>
 * </ul>
 */
public final class FakeContent {

    /** A token, with the whitespace before it, so the pieces concatenate back to the text. */
    private static final Pattern PIECE = Pattern.compile("\\s*(?:[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}\\s])");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    /** Vector entries each word touches: enough to spread words over the space, few enough to stay cheap. */
    private static final int ENTRIES_PER_WORD = 16;

    private FakeContent() {
    }

    /** The full (unlimited) answer for a prompt. */
    public static String answer(String lastUserMessage) {
        return "echo: " + lastUserMessage;
    }

    /** The answer as streamed pieces, at most {@code maxTokens} of them ({@code <= 0} means no limit). */
    public static List<String> answerPieces(String lastUserMessage, int maxTokens) {
        List<String> all = pieces(answer(lastUserMessage));
        return maxTokens > 0 && all.size() > maxTokens ? List.copyOf(all.subList(0, maxTokens)) : all;
    }

    /** Whether the answer to this prompt is longer than {@code maxTokens} (finish reason "length"). */
    public static boolean truncatedBy(String lastUserMessage, int maxTokens) {
        return maxTokens > 0 && tokenCount(answer(lastUserMessage)) > maxTokens;
    }

    /** Number of tokens in a text under the testkit's tokenizer. */
    public static int tokenCount(String text) {
        Matcher m = PIECE.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Splits a text into token pieces (each with its leading whitespace); trailing whitespace joins the last
     * piece. Concatenating the pieces gives back the text exactly.
     */
    public static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        int end = 0;
        while (m.find()) {
            out.add(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            if (out.isEmpty()) {
                out.add(text.substring(end));
            } else {
                out.set(out.size() - 1, out.get(out.size() - 1) + text.substring(end));
            }
        }
        return out;
    }

    /** Prompt tokens of a chat request: each message's tokens plus 3 for its role framing, plus 3 for the reply. */
    public static int promptTokens(List<String> messageTexts) {
        int n = 3;
        for (String t : messageTexts) {
            n += tokenCount(t) + 3;
        }
        return n;
    }

    /** The unit-length embedding of {@code text} with {@code dimension} entries. */
    public static float[] embedding(String text, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        double[] acc = new double[dimension];
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        boolean anyWord = false;
        while (m.find()) {
            anyWord = true;
            addFeature(acc, m.group());
        }
        if (!anyWord) {
            addFeature(acc, "\u0000" + text);
        }
        double norm = 0;
        for (double v : acc) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            out[i] = (float) (acc[i] / norm);
        }
        return out;
    }

    private static void addFeature(double[] acc, String feature) {
        long state = seed(feature);
        for (int i = 0; i < ENTRIES_PER_WORD; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = mix(state);
            int index = (int) Long.remainderUnsigned(z, acc.length);
            // top 24 bits of a second mix -> value in [-1, 1)
            double value = ((mix(z) >>> 40) / (double) (1L << 24)) * 2 - 1;
            acc[index] += value;
        }
    }

    /** SplitMix64 finaliser: specified here so vectors never change with the JDK. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long seed(String s) {
        byte[] h = sha256(s);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
