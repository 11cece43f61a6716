package dev.parallelrag.server.jobs;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.server.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * Reads a multipart/form-data body as it arrives and writes every part's content, in one pass, into a single spool
 * file: one file created per upload whatever its number of parts, no part held in memory beyond the read buffer, no
 * copy. Jetty's parser ({@link MultiPart.Parser}) finds the parts and decodes their names ({@code filename} and
 * RFC 5987 {@code filename*}); the body's size is counted here, so a body without a length stops at the limit too.
 */
final class MultipartSpool {

    /** The name of the spool file in an upload's directory (never a name {@link UploadArea#fileFor} gives). */
    static final String SPOOL = "upload.parts";

    private static final int READ_SIZE = 64 << 10;

    /** One part as read: its field name, its file name (null when it has none) and its bytes in the spool. */
    record Part(String name, String fileName, long offset, long length) {
    }

    private MultipartSpool() {
    }

    /**
     * Spools the body into {@code upload}/{@value #SPOOL}.
     *
     * @throws ApiException        413 when the body is over {@code maxBytes}
     * @throws ValidationException when the body is not a readable multipart/form-data body
     * @throws IOException         when the spool cannot be written, or the body not read
     */
    static List<Part> read(String contentType, InputStream body, Path upload, long maxBytes) throws IOException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw new ValidationException("Content-Type", contentType, "has no boundary; send multipart/form-data as a"
                    + " browser or curl -F does (Content-Type: multipart/form-data; boundary=...)");
        }
        try (FileChannel spool = FileChannel.open(upload.resolve(SPOOL), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            Writer writer = new Writer(spool);
            MultiPart.Parser parser = new MultiPart.Parser(boundary, writer);
            long total = 0;
            while (!writer.complete) {
                ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE); // fresh: the parser may keep what it was given
                int n = body.read(buffer.array());
                if (n < 0) {
                    parser.parse(Content.Chunk.EOF);
                    writer.check();
                    break;
                }
                total += n;
                if (total > maxBytes) {
                    throw ApiException.tooLarge("the upload is larger than the " + maxBytes + " bytes one request takes"
                            + " (ServerConfig.maxUploadBytes); send the files in several requests");
                }
                parser.parse(Content.Chunk.from(buffer.limit(n), false));
                writer.check();
            }
            if (!writer.complete) {
                throw malformed("it ends before its closing boundary");
            }
            return writer.parts;
        }
    }

    private static ValidationException malformed(String why) {
        return new ValidationException("body", null, "is not a readable multipart/form-data body (" + why + ")");
    }

    /** Writes each part's content to the spool as the parser finds it, and notes where each part lies. */
    private static final class Writer extends MultiPart.AbstractPartsListener {
        private final FileChannel spool;
        private final List<Part> parts = new ArrayList<>();
        private long position;
        private long partStart;
        private boolean complete;
        private IOException writeFailure;
        private Throwable parseFailure; // what the parser found wrong with the body, an EOFException included

        Writer(FileChannel spool) {
            this.spool = spool;
        }

        @Override
        public void onPartHeaders() {
            partStart = position;
        }

        @Override
        public void onPartContent(Content.Chunk chunk) {
            if (writeFailure != null) {
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer().slice();
            try {
                while (bytes.hasRemaining()) {
                    position += spool.write(bytes);
                }
            } catch (IOException e) {
                writeFailure = e;
            }
        }

        @Override
        public void onPart(String name, String fileName, HttpFields headers) {
            parts.add(new Part(name, fileName, partStart, position - partStart));
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        @Override
        public void onFailure(Throwable cause) {
            if (parseFailure == null) {
                parseFailure = cause;
            }
        }

        /** Throws what went wrong so far: a failed write as an I/O error, a failed parse as a malformed body. */
        void check() throws IOException {
            if (writeFailure != null) {
                throw writeFailure;
            }
            if (parseFailure != null) {
                throw malformed(parseFailure.getMessage() == null ? parseFailure.getClass().getSimpleName()
                        : parseFailure.getMessage());
            }
        }
    }
}
