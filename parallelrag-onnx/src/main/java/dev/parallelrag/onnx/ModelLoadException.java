package dev.parallelrag.onnx;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;

/** A model file exists but ONNX Runtime could not load it, or it does not look like a BERT text encoder. */
public final class ModelLoadException extends ParallelRagException {

    private final String location;

    public ModelLoadException(String location, String problem, Throwable cause) {
        super("could not load the ONNX model " + location + ": " + problem
                + "; check that it is a BERT-style text encoder exported to ONNX (inputs input_ids and attention_mask)", cause);
        this.location = location;
    }

    /** The path or resource of the model file. */
    public String location() {
        return location;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.VALIDATION;
    }
}
