package dev.parallelrag.read;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file chosen for ingestion.
 *
 * @param path       where to read it
 * @param documentId the path as ingested ({@code root/relative/path}, '/'-separated, normalized, rendered
 *                   from the names' bytes by {@link PathNames#documentId}); it is the document's id and the
 *                   {@code source} shown in citations
 */
public record SourceFile(Path path, String documentId) {
    public SourceFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(documentId, "documentId");
    }
}
