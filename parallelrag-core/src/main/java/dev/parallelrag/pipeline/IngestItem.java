package dev.parallelrag.pipeline;

import dev.parallelrag.model.Document;
import dev.parallelrag.read.ReaderRegistry;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One document of an ingest that names its documents itself ({@link IngestPipeline#runItems}), rather than
 * walking directories: a file on disk under an id of the caller's choosing (an upload kept under its
 * uploaded name), or a text held in memory. The id is the document's id and the {@code source} of its
 * chunks, so the same id with the same text is unchanged on a re-run, whatever file it was read from.
 */
public interface IngestItem {

    /** The document's id: the {@code source} shown in citations. */
    String documentId();

    /**
     * Reads the document; called once per run, on the CPU pool, by the stage that splits it. An error here
     * fails this document only (stage {@code read}).
     */
    Document read(ReaderRegistry readers);

    /** The file at {@code path}, read by the reader its extension selects, ingested as {@code documentId}. */
    static IngestItem file(Path path, String documentId) {
        return new FileItem(path, documentId);
    }

    /** A document already in memory: its id, text and metadata are ingested as they are. */
    static IngestItem text(Document document) {
        return new TextItem(document);
    }

    /** {@link #file}. */
    record FileItem(Path path, String documentId) implements IngestItem {
        public FileItem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(documentId, "documentId");
        }

        @Override
        public Document read(ReaderRegistry readers) {
            return readers.read(path, documentId);
        }
    }

    /** {@link #text}. */
    record TextItem(Document document) implements IngestItem {
        public TextItem {
            Objects.requireNonNull(document, "document");
        }

        @Override
        public String documentId() {
            return document.id();
        }

        @Override
        public Document read(ReaderRegistry readers) {
            return document;
        }
    }
}
