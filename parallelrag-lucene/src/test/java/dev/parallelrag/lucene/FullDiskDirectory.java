package dev.parallelrag.lucene;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * The index files on a disk of a fixed capacity, for a disk-full test that needs no mount: a write that would
 * take the files past the capacity fails as the operating system's would, with an {@code IOException} "No space
 * left on device" from inside Lucene's output, and the bytes before it stay written. Deleting a file frees its
 * bytes. Everything else is the real directory.
 */
final class FullDiskDirectory extends FilterDirectory {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    FullDiskDirectory(Directory in, long capacity) throws IOException {
        super(in);
        this.capacity = capacity;
        for (String file : in.listAll()) {
            used.addAndGet(in.fileLength(file));
        }
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        return new Limited(in.createOutput(name, context));
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        return new Limited(in.createTempOutput(prefix, suffix, context));
    }

    @Override
    public void deleteFile(String name) throws IOException {
        long length = in.fileLength(name);
        in.deleteFile(name);
        used.addAndGet(-length);
    }

    private void reserve(long bytes) throws IOException {
        if (used.addAndGet(bytes) > capacity) {
            used.addAndGet(-bytes);
            throw new IOException("No space left on device");
        }
    }

    private final class Limited extends IndexOutput {
        private final IndexOutput out;

        Limited(IndexOutput out) {
            super(out.toString(), out.getName());
            this.out = out;
        }

        @Override
        public void writeByte(byte b) throws IOException {
            reserve(1);
            out.writeByte(b);
        }

        @Override
        public void writeBytes(byte[] b, int offset, int length) throws IOException {
            reserve(length);
            out.writeBytes(b, offset, length);
        }

        @Override
        public long getFilePointer() {
            return out.getFilePointer();
        }

        @Override
        public long getChecksum() throws IOException {
            return out.getChecksum();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
