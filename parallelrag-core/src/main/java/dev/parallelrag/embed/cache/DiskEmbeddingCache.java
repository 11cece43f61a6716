package dev.parallelrag.embed.cache;

import dev.parallelrag.error.DiskFullException;
import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A persistent cache in one directory (for example next to the index): an append-only file
 * {@value #FILE} of records {@code [magic][32-byte key][dimension][floats][CRC32C]}, and an in-memory
 * index of key to file offset rebuilt by scanning the file when the cache opens.
 *
 * <p>Crash safety: records are only ever appended and each carries its own checksum. A crash can at
 * worst leave a partial record at the end; opening the cache stops at the first record that is short
 * or fails its checksum and cuts the file there, so every vector served was written whole. One process
 * at a time: a lock file makes a second opener fail with a clear error instead of interleaving writes.
 */
public final class DiskEmbeddingCache implements EmbeddingCache {

    public static final String FILE = "embeddings.cache";
    private static final String LOCK = "embeddings.cache.lock";
    private static final int MAGIC = 0x50524543; // "PREC"
    private static final int HEADER = 4 + CacheKey.BYTES + 4;
    private static final int MAX_DIMENSION = 1 << 16;

    private final Path directory;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<CacheKey, Long> offsets = new HashMap<>();
    private long end;
    private final long recoveredBytes;

    private DiskEmbeddingCache(Path directory) throws IOException {
        this.directory = directory;
        this.lockChannel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new ValidationException("cacheDirectory", directory, "is in use by another process or cache instance; "
                    + "give each process its own cache directory or close the other one first");
        }
        this.lock = l;
        this.channel = FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long size = channel.size();
        this.end = scan(size);
        this.recoveredBytes = size - end;
        if (end < size) {
            channel.truncate(end);
        }
        channel.position(end);
    }

    /** Opens (or creates) the cache in the directory, recovering from a crash if needed. */
    public static DiskEmbeddingCache open(Path directory) {
        try {
            Files.createDirectories(directory);
            return new DiskEmbeddingCache(directory);
        } catch (IOException e) {
            throw new ValidationException("cacheDirectory", directory, "cannot be used as an embedding cache: " + e.getMessage());
        }
    }

    private long scan(long size) throws IOException {
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= size) {
            header.clear();
            readFully(header, pos);
            header.flip();
            if (header.getInt() != MAGIC) {
                break;
            }
            CacheKey key = CacheKey.read(header);
            int dim = header.getInt();
            long recordEnd = pos + HEADER + 4L * dim + 4;
            if (dim < 1 || dim > MAX_DIMENSION || recordEnd > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(4 * dim + 4);
            readFully(body, pos + HEADER);
            body.flip();
            if (crc(header, body, dim) != body.getInt(4 * dim)) {
                break;
            }
            offsets.put(key, pos);
            pos = recordEnd;
        }
        return pos;
    }

    private static int crc(ByteBuffer header, ByteBuffer body, int dim) {
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, HEADER);
        crc.update(body.array(), 0, 4 * dim);
        return (int) crc.getValue();
    }

    private void readFully(ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, pos + buf.position()) < 0) {
                throw new IOException("unexpected end of " + directory.resolve(FILE));
            }
        }
    }

    @Override
    public float[] get(CacheKey key) {
        Long pos;
        synchronized (this) {
            pos = offsets.get(key);
        }
        if (pos == null) {
            return null;
        }
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(header, pos);
            int dim = header.getInt(4 + CacheKey.BYTES);
            ByteBuffer body = ByteBuffer.allocate(4 * dim + 4);
            readFully(body, pos + HEADER);
            float[] v = new float[dim];
            body.flip();
            body.asFloatBuffer().get(v);
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the embedding cache " + directory.resolve(FILE), e);
        }
    }

    @Override
    public void put(CacheKey key, float[] vector) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putInt(MAGIC);
        key.write(header);
        header.putInt(vector.length);
        ByteBuffer body = ByteBuffer.allocate(4 * vector.length + 4);
        body.asFloatBuffer().put(vector);
        body.putInt(4 * vector.length, crc(header, body, vector.length));
        header.flip();
        body.position(0);
        synchronized (this) {
            if (offsets.containsKey(key)) {
                return;
            }
            long pos = end;
            try {
                ByteBuffer[] record = {header, body};
                long written = 0;
                long total = HEADER + body.capacity();
                while (written < total) {
                    written += channel.write(record);
                }
                // FileChannel.write(ByteBuffer[]) writes at the channel position, which is always the end
                end = pos + total;
                offsets.put(key, pos);
            } catch (IOException e) {
                cutBackTo(pos); // a record half written (a full disk) must not sit before the next one
                throw writeFailure("writing", e);
            }
        }
    }

    private void cutBackTo(long pos) {
        try {
            channel.truncate(pos);
            channel.position(pos);
        } catch (IOException ignored) {
            // the torn tail is cut off when the cache is next opened, as after a crash
        }
    }

    private RuntimeException writeFailure(String action, IOException e) {
        Path file = directory.resolve(FILE);
        if (DiskFullException.find(e).isPresent()) {
            return new DiskFullException(file, e);
        }
        return new UncheckedIOException(action + " the embedding cache " + file, e);
    }

    @Override
    public synchronized long size() {
        return offsets.size();
    }

    /** Bytes of a torn record found at the end of the file when it was opened (and cut off). */
    public long recoveredBytes() {
        return recoveredBytes;
    }

    public Path directory() {
        return directory;
    }

    /** Flushes to the storage device and releases the directory. */
    @Override
    public synchronized void close() {
        try {
            channel.force(false);
            channel.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw writeFailure("closing", e);
        }
    }
}
