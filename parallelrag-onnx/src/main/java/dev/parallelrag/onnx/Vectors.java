package dev.parallelrag.onnx;

/** Vector arithmetic the model needs. */
final class Vectors {

    private Vectors() {
    }

    static float[] l2Normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        // the same floor as sentence-transformers' normalize (1e-12): a zero vector stays zero
        double scale = 1.0 / Math.max(norm, 1e-12);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * scale);
        }
        return out;
    }
}
