package dev.parallelrag.store;

import dev.parallelrag.Internal;
import dev.parallelrag.error.ValidationException;

/** Vector checks and maths shared by stores. */
@Internal
public final class Vectors {

    private Vectors() {
    }

    /**
     * Rejects null, empty, non-finite and all-zero vectors: cosine similarity is undefined for a
     * zero vector and a NaN would silently poison every score.
     */
    public static void requireUsable(String field, float[] vector) {
        if (vector == null || vector.length == 0) {
            throw new ValidationException(field, vector == null ? null : "[]",
                    "must be a non-empty vector (embed the text first)");
        }
        boolean nonZero = false;
        for (int i = 0; i < vector.length; i++) {
            float v = vector[i];
            if (!Float.isFinite(v)) {
                throw new ValidationException(field + "[" + i + "]", v, "must be a finite number");
            }
            nonZero |= v != 0f;
        }
        if (!nonZero) {
            throw new ValidationException(field, "all zeros (dimension " + vector.length + ")",
                    "must have at least one non-zero value; cosine similarity is undefined for a zero vector");
        }
    }

    /** Euclidean norm, accumulated in double for stability. */
    public static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /** A unit-length copy of {@code v} (which must be usable). */
    public static float[] normalized(float[] v) {
        double n = norm(v);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }

    /** Cosine similarity of two equal-length usable vectors, in [-1, 1]. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }
}
