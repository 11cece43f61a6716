package dev.parallelrag.pipeline;

import dev.parallelrag.embed.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic bag-of-words embedding by feature hashing (lower-cased words hashed with FNV-1a into
 * {@code dimension} buckets, L2-normalised). Texts sharing words get similar vectors, so retrieval
 * behaves sensibly, and it is fast enough for crash and failure tests. Counts its calls.
 */
public final class HashingEmbeddingModel implements EmbeddingModel {

    private final int dimension;
    final AtomicLong textsEmbedded = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong largestCall = new AtomicLong();

    public HashingEmbeddingModel(int dimension) {
        this.dimension = dimension;
    }

    @Override
    public String modelId() {
        return "test/hashing-" + dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxBatchSize() {
        return 32;
    }

    @Override
    public int maxBatchTokens() {
        return 100_000;
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        calls.incrementAndGet();
        textsEmbedded.addAndGet(texts.size());
        largestCall.accumulateAndGet(texts.size(), Math::max);
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(embed(text));
        }
        return out;
    }

    float[] embed(String text) {
        float[] v = new float[dimension];
        // words = maximal runs of letters or digits, lower-cased, hashed (FNV-1a) into a signed bucket
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int h = 0x811C9DC5;
            while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                h = (h ^ Character.toLowerCase(text.charAt(i))) * 0x01000193;
                i++;
            }
            int bucket = Math.floorMod(h, dimension);
            v[bucket] += (h >>> 31) == 0 ? 1f : -1f;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1f;
            return v;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return v;
    }
}
