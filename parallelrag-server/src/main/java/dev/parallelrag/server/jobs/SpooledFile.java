package dev.parallelrag.server.jobs;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.read.ReaderRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * One uploaded file as its job ingests it: a byte range of its upload's spool file, which the request wrote in one
 * pass. The file of its own that the reader needs (its extension picks the reader) is cut from the spool only when
 * the job reads it, on the job's time: answering an upload never creates a file per part, the cost that dominated
 * the time to 202 (docs/BENCHMARKS.md "Upload: time to 202").
 *
 * @param spool      the upload's spool file
 * @param offset     where the file's bytes start in it
 * @param length     how many bytes it has
 * @param file       where it is cut to, under a name of the server's choosing ({@link UploadArea#fileFor})
 * @param documentId the uploaded name, the document's id
 */
record SpooledFile(Path spool, long offset, long length, Path file, String documentId) implements IngestItem {

    SpooledFile {
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(documentId, "documentId");
    }

    @Override
    public Document read(ReaderRegistry readers) {
        try (FileChannel in = FileChannel.open(spool, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < length; ) {
                done += in.transferTo(offset + done, length - done, out);
            }
        } catch (IOException e) {
            throw new StoreException("cannot cut uploaded file " + documentId + " from its upload's spool " + spool
                    + ": " + e.getMessage() + "; free space in the temporary directory and upload it again", e);
        }
        return readers.read(file, documentId);
    }
}
