package dev.parallelrag.pipeline;

import dev.parallelrag.embed.EmbeddingModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * A deterministic bag-of-words embedding by feature hashing (lower-cased word tokens hashed into
 * {@code dimension} buckets, L2-normalised). Texts sharing words get similar vectors, so retrieval
 * behaves sensibly, and it is fast enough for crash and failure tests. Counts its calls.
 */
public final class HashingEmbeddingModel implements EmbeddingModel {

    private final int dimension;
    final AtomicLong textsEmbedded = new AtomicLong();
    final AtomicLong calls = new AtomicLong();

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
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(embed(text));
        }
        return out;
    }

    float[] embed(String text) {
        float[] v = new float[dimension];
        CRC32 crc = new CRC32();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            crc.reset();
            crc.update(word.getBytes(StandardCharsets.UTF_8));
            long h = crc.getValue();
            v[(int) (h % dimension)] += ((h >>> 20) & 1) == 0 ? 1f : -1f;
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
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
