package dev.parallelrag.jobs;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.IngestItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one ingest job ingests: files already on disk, each under the document id to keep (an upload's name), and
 * texts in memory; and the directories the job deletes when it ends (an upload area holding copies made for it).
 *
 * @param items          the documents, in order
 * @param deleteWhenDone directories removed, with everything in them, once the job has ended
 */
public record JobRequest(List<IngestItem> items, List<Path> deleteWhenDone) {

    public JobRequest {
        items = List.copyOf(items);
        deleteWhenDone = List.copyOf(deleteWhenDone);
        if (items.isEmpty()) {
            throw new ValidationException("documents", "[]", "must hold at least one file or text to ingest");
        }
        Set<String> ids = new HashSet<>();
        for (IngestItem item : items) {
            if (!ids.add(item.documentId())) {
                throw new ValidationException("documents", item.documentId(), "is given twice in one job; give each"
                        + " document once");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Not thread-safe. */
    public static final class Builder {
        private final List<IngestItem> items = new ArrayList<>();
        private final List<Path> deleteWhenDone = new ArrayList<>();

        private Builder() {
        }

        /** The file at {@code path}, ingested as {@code source} (its document id, shown in citations). */
        public Builder file(Path path, String source) {
            items.add(IngestItem.file(Objects.requireNonNull(path, "path"), requireSource(source)));
            return this;
        }

        /** A text in memory, ingested with its id and metadata. */
        public Builder text(Document document) {
            items.add(IngestItem.text(Objects.requireNonNull(document, "document")));
            return this;
        }

        /** A directory to delete once the job has ended, whatever its end (for copies made for this job). */
        public Builder deleteWhenDone(Path directory) {
            deleteWhenDone.add(Objects.requireNonNull(directory, "directory"));
            return this;
        }

        public JobRequest build() {
            return new JobRequest(items, deleteWhenDone);
        }

        private static String requireSource(String source) {
            if (source == null || source.isBlank()) {
                throw new ValidationException("source", source, "must name the document (for an upload, its file name)");
            }
            return source;
        }
    }
}
