package dev.parallelrag.read;

import dev.parallelrag.model.Document;
import java.nio.file.Path;
import java.util.Set;

/**
 * Turns one file into a {@link Document}. Readers are chosen by file extension through a
 * {@link ReaderRegistry}; add your own by implementing this interface and listing the class in
 * {@code META-INF/services/dev.parallelrag.read.DocumentReader} (it needs a public no-argument
 * constructor), or by registering an instance with {@link ReaderRegistry.Builder#register}.
 *
 * <p>Implementations are stateless and thread-safe: the ingest pipeline calls one reader from many
 * threads at once.
 */
public interface DocumentReader {

    /** Short name shown in logs and summaries, e.g. {@code text}, {@code pdf}. */
    String name();

    /**
     * File extensions this reader handles, lower case and without the dot, e.g. {@code "md"}.
     * A multi-part extension such as {@code "tar.gz"} is allowed; the longest matching one wins.
     */
    Set<String> extensions();

    /**
     * Reads the file. The returned document's text is what chunk offsets index into.
     *
     * @param path       the file; it may be a symlink, a directory, a FIFO or missing, in which case the
     *                   reader (usually via {@link SourceFiles#readBytes}) throws {@link DocumentReadException}
     * @param documentId the id to give the document (the path as ingested)
     * @throws DocumentReadException naming the path and the problem; never a raw {@code IOException}
     */
    Document read(Path path, String documentId);

    /**
     * True when the document text is the file's strict UTF-8 text unchanged (plain text, Markdown). A
     * caller that streams large files, such as the {@code split} command, may then read the file as text
     * itself rather than load it whole; any other reader's documents (HTML, PDF) must come from
     * {@link #read}. False by default.
     */
    default boolean keepsTextAsWritten() {
        return false;
    }
}
