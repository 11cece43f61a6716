package dev.parallelrag.onnx;

import java.time.Duration;
import java.util.Objects;

/**
 * How a model's ONNX Runtime session was created: what the model cache did and how long the load took
 * (reading, fusing and session creation; the tokenizer not included).
 */
public record ModelLoad(ModelCacheOutcome cache, Duration duration) {

    public ModelLoad {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(duration, "duration");
    }
}
