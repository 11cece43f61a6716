package dev.parallelrag.bench.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Random;

/**
 * One unpadded BERT input of a given length, {@code [CLS]} + random word pieces + {@code [SEP]}, for harnesses
 * that time single forward passes: the model's cost depends on the length, not on which pieces it reads.
 */
record SyntheticSequence(long[] ids, long[] mask) {

    static SyntheticSequence of(int tokens) {
        long[] ids = new long[tokens];
        long[] mask = new long[tokens];
        Random random = new Random(42);
        for (int i = 0; i < tokens; i++) {
            ids[i] = 1_000 + random.nextInt(20_000);
            mask[i] = 1;
        }
        ids[0] = 101;
        ids[tokens - 1] = 102;
        return new SyntheticSequence(ids, mask);
    }

    /** Runs one forward pass and returns the token vectors, flattened. */
    float[] run(OrtEnvironment env, OrtSession session) throws OrtException {
        long[] shape = {1, ids.length};
        try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", input, "attention_mask", attention, "token_type_ids", types))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }
}
