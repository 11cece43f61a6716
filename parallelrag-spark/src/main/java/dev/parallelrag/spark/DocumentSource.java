package dev.parallelrag.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One file the driver found, as a task receives it: the path every executor reads it from (a local path on a
 * file system they all see, e.g. NFS, or this machine's in {@code local[N]}) and its document id as the walk
 * named it, so the chunk ids equal those of a single-process ingest of the same paths.
 */
public record DocumentSource(String path, String documentId) implements Serializable {
    public DocumentSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(documentId, "documentId");
    }
}
