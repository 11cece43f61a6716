package dev.parallelrag.onnx;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;

/** ONNX Runtime failed while running a loaded model. */
public final class InferenceException extends ParallelRagException {

    public InferenceException(String modelId, Throwable cause) {
        super("ONNX Runtime failed while running " + modelId + ": " + cause.getMessage()
                + "; this is not caused by the input text; check the model file and free memory", cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.OTHER;
    }
}
