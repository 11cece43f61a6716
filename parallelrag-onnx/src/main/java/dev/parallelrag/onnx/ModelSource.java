package dev.parallelrag.onnx;

import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where a model's {@code .onnx} file comes from: a file, or a resource on the classpath in the model jar whose
 * artifact id is {@code artifact} (group {@code dev.langchain4j}).
 */
record ModelSource(Path path, String resource, String artifact) {

    static ModelSource file(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ValidationException("modelPath", path.toAbsolutePath(),
                    "is not a readable file; give the path of an .onnx model file");
        }
        return new ModelSource(path.toAbsolutePath(), null, null);
    }

    static ModelSource bundled(BundledModel model) {
        return new ModelSource(null, model.onnxResource(), model.artifact());
    }

    String location() {
        return path != null ? path.toString() : "classpath:" + resource;
    }

    /**
     * What pins these weights beyond the model's name: for a bundled model the version of the Maven artifact
     * that carries it, for a file its size and modification time (so replacing the file is another revision).
     */
    String revision() {
        if (path != null) {
            try {
                return "file:" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis();
            } catch (IOException e) {
                throw new ModelLoadException(location(), "could not be read: " + e.getMessage(), e);
            }
        }
        try (InputStream in = ModelSource.class.getResourceAsStream("/META-INF/maven/dev.langchain4j/" + artifact + "/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String version = p.getProperty("version");
                if (version != null && !version.isBlank()) {
                    return artifact + ":" + version.strip();
                }
            }
        } catch (IOException e) {
            // fall through: the resource name alone still tells the bundled models apart
        }
        return artifact;
    }

    byte[] readBytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException(location(), "could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * A cheap identity of the model's bytes, read from file attributes instead of the bytes: the file's path,
     * size, modification time and file key, or for a resource in a jar those of the jar and the entry's name.
     * The same stamp means the same bytes unless a file was rewritten with its size and time kept. Empty when
     * the source has no such identity (a resource not in a plain file or jar): its bytes must then be hashed.
     */
    Optional<String> stamp() {
        try {
            if (path != null) {
                return Optional.of(fileStamp(path));
            }
            URL url = ModelSource.class.getResource("/" + resource);
            if (url == null) {
                return Optional.empty();
            }
            if (url.getProtocol().equals("file")) {
                return Optional.of(fileStamp(Path.of(url.toURI())));
            }
            String spec = url.getPath(); // jar:file:/x.jar!/name -> file:/x.jar!/name
            int bang = spec.indexOf("!/");
            if (url.getProtocol().equals("jar") && spec.startsWith("file:") && bang > 0 && spec.indexOf("!/", bang + 2) < 0) {
                return Optional.of(fileStamp(Path.of(new URI(spec.substring(0, bang)))) + " entry " + spec.substring(bang + 2));
            }
            return Optional.empty();
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String fileStamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return "file " + file.toAbsolutePath() + " size " + a.size() + " modified " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                + " key " + a.fileKey();
    }

    InputStream open() throws IOException {
        if (path != null) {
            return Files.newInputStream(path);
        }
        InputStream in = ModelSource.class.getResourceAsStream("/" + resource);
        if (in == null) {
            throw new ModelLoadException(location(), "the resource is not on the classpath; add the Maven artifact that carries it,"
                    + " dev.langchain4j:" + artifact, null);
        }
        return in;
    }
}
