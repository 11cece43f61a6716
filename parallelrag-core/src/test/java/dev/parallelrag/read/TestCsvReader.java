package dev.parallelrag.read;

import dev.parallelrag.model.Document;
import java.nio.file.Path;
import java.util.Set;

/** A reader discovered through META-INF/services in the test resources. */
public class TestCsvReader implements DocumentReader {
    @Override
    public String name() {
        return "test-csv";
    }

    @Override
    public Set<String> extensions() {
        return Set.of("csv");
    }

    @Override
    public Document read(Path path, String documentId) {
        return new Document(documentId, SourceFiles.readUtf8(path, 1024));
    }
}
