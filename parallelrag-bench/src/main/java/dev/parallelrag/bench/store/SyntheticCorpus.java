package dev.parallelrag.bench.store;

import dev.parallelrag.store.StoredChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeded synthetic chunks for the pgvector benchmarks: the same rows for every side and every run.
 *
 * <p>Vectors are unit length and clustered on two levels, as sentence embeddings are: 64 topic centres drawn
 * uniformly on the sphere, 16 sub-topics per topic ({@code topic + 0.7 * noise}), and each chunk its sub-topic plus
 * {@code 0.5 * noise} (noise is a Gaussian vector of expected length 1), normalised. Two chunks of one sub-topic are
 * at cosine ~0.8, of one topic ~0.5, of two topics ~0. Queries are fresh draws from the same mixture (from another
 * seed), never rows of the table. Texts are ~60 pseudo-words from a 4,096-word vocabulary (~450 characters, so that
 * the full-text column has real work), and each chunk carries {@code bucket = b00..b99} (chunk index mod 100: a
 * filter on one bucket matches 1 % of rows) and its {@code topic}. Twenty chunks make one document; chunk ids are
 * name-based UUIDs, which both stores accept.
 */
final class SyntheticCorpus {

    static final int TOPICS = 64;
    static final int SUBTOPICS_PER_TOPIC = 16;
    static final int BUCKETS = 100;
    static final int CHUNKS_PER_DOCUMENT = 20;
    static final String MODEL = "synthetic-clustered-v1";

    private final int dimension;
    private final float[][] subtopics;
    private final String[] vocabulary;

    SyntheticCorpus(int dimension, long seed) {
        this.dimension = dimension;
        SplittableRandom random = new SplittableRandom(seed);
        float[][] topics = new float[TOPICS][];
        for (int t = 0; t < TOPICS; t++) {
            topics[t] = normalised(noise(random, 1.0));
        }
        subtopics = new float[TOPICS * SUBTOPICS_PER_TOPIC][];
        for (int s = 0; s < subtopics.length; s++) {
            subtopics[s] = normalised(plus(topics[s / SUBTOPICS_PER_TOPIC], noise(random, 0.7)));
        }
        vocabulary = new String[4096];
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "dor", "len", "mar",
                "sto", "fen"};
        for (int w = 0; w < vocabulary.length; w++) {
            StringBuilder word = new StringBuilder();
            for (int k = 0, n = 2 + random.nextInt(3); k < n; k++) {
                word.append(syllables[random.nextInt(syllables.length)]);
            }
            vocabulary[w] = word.toString();
        }
    }

    int dimension() {
        return dimension;
    }

    /** Chunks {@code 0..count-1}, each a pure function of the corpus seed and its index. */
    List<StoredChunk> chunks(int count) {
        List<StoredChunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(chunk(i));
        }
        return chunks;
    }

    StoredChunk chunk(int index) {
        SplittableRandom random = new SplittableRandom(index * 0x9E3779B97F4A7C15L + 17);
        int subtopic = random.nextInt(subtopics.length);
        float[] vector = normalised(plus(subtopics[subtopic], noise(random, 0.5)));
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 60; w++) {
            // words lean towards the topic's part of the vocabulary, as real chunks of one topic share words
            int word = random.nextInt(4) == 0 ? random.nextInt(vocabulary.length)
                    : (subtopic / SUBTOPICS_PER_TOPIC * 64 + random.nextInt(64)) % vocabulary.length;
            text.append(w == 0 ? "" : " ").append(vocabulary[word]);
        }
        text.append('.');
        String document = "doc-" + index / CHUNKS_PER_DOCUMENT;
        int start = index % CHUNKS_PER_DOCUMENT * 1000;
        return new StoredChunk(id(index), document, "synthetic/" + document + ".txt", start, start + text.length(),
                text.toString(), Integer.toHexString(text.toString().hashCode()), MODEL,
                Map.of("bucket", bucket(index), "topic", "t" + subtopic / SUBTOPICS_PER_TOPIC), vector);
    }

    static String id(int index) {
        return UUID.nameUUIDFromBytes(("chunk-" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String bucket(int index) {
        return String.format("b%02d", index % BUCKETS);
    }

    /** Query vectors from the same mixture as the chunks, from their own seed. */
    float[][] queries(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] queries = new float[count][];
        for (int q = 0; q < count; q++) {
            queries[q] = normalised(plus(subtopics[random.nextInt(subtopics.length)], noise(random, 0.5)));
        }
        return queries;
    }

    private float[] noise(SplittableRandom random, double length) {
        float[] v = new float[dimension];
        double scale = length / Math.sqrt(dimension);
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    private static float[] plus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inverse = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inverse;
        }
        return v;
    }
}
