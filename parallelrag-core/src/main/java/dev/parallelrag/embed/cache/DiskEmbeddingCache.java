package dev.parallelrag.embed.cache;

import dev.parallelrag.error.DiskFullException;
import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * A persistent cache in one directory: an append-only file {@value #FILE} of records
 * {@code [magic][32-byte key][dimension][floats][CRC32C]}, and an in-memory index of key to file offset
 * rebuilt by scanning the file when the cache opens.
 *
 * <p>Shared by processes. Several processes (and several instances in one process) may use one directory at
 * the same time, as every ingest of one user does with the per-user default. Each append takes an exclusive
 * lock on {@value #LOCK} for the moment of the write, first reads the records the others appended since (so an
 * entry is written once), then appends at the end of the file. Records are never rewritten, so a reader needs
 * no lock: an offset it has indexed always holds the same whole record.
 *
 * <p>Crash safety: each record carries its own checksum, and since every write happens under the lock, a record
 * that is short or fails its checksum while the lock is held can only be what a writer that died mid-write left
 * (or a damaged disk). The scan stops there and cuts the file at that point, so every vector served was written
 * whole and the next append starts on a record boundary.
 */
public final class DiskEmbeddingCache implements EmbeddingCache {

    public static final String FILE = "embeddings.cache";
    private static final String LOCK = "embeddings.cache.lock";
    private static final int MAGIC = 0x50524543; // "PREC"
    private static final int HEADER = 4 + CacheKey.BYTES + 4;
    private static final int MAX_DIMENSION = 1 << 16;

    /**
     * One lock per lock file in this JVM: a file lock belongs to the whole process, and a second channel of the
     * same process asking for it gets an {@code OverlappingFileLockException} instead of waiting its turn.
     */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path directory;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final ReentrantLock processLock;
    private final Map<CacheKey, Long> offsets = new HashMap<>();
    private long end; // the end of the records indexed so far: always a record boundary
    private long recoveredBytes;
    private boolean closed;

    private DiskEmbeddingCache(Path directory) throws IOException {
        this.directory = directory;
        Path lockFile = directory.resolve(LOCK);
        this.lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            this.processLock = IN_PROCESS.computeIfAbsent(lockFile.toRealPath(), p -> new ReentrantLock());
            this.channel = FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        try {
            synchronized (this) {
                withFileLock(() -> { });
            }
        } catch (RuntimeException e) {
            channel.close();
            lockChannel.close();
            throw e;
        }
    }

    /** Opens (or creates) the cache in the directory, beside any other user of it, recovering from a crash if needed. */
    public static DiskEmbeddingCache open(Path directory) {
        try {
            Files.createDirectories(directory);
            return new DiskEmbeddingCache(directory);
        } catch (FileAlreadyExistsException e) {
            throw new ValidationException("cacheDirectory", directory, "cannot be used as an embedding cache: " + e.getFile()
                    + " is a file, not a directory; give a directory");
        } catch (IOException | UncheckedIOException e) {
            throw new ValidationException("cacheDirectory", directory, "cannot be used as an embedding cache: " + e.getMessage()
                    + "; give a writable directory");
        }
    }

    /** Runs {@code append} holding this directory's lock, after reading what the other users appended. */
    private void withFileLock(Runnable append) {
        processLock.lock();
        try (FileLock ignored = lockChannel.lock()) {
            catchUp();
            append.run();
        } catch (IOException e) {
            throw new UncheckedIOException("locking the embedding cache " + directory.resolve(LOCK), e);
        } finally {
            processLock.unlock();
        }
    }

    /** Indexes the records appended after {@link #end}; cuts a torn tail. Holds the file lock. */
    private void catchUp() {
        try {
            long size = channel.size();
            if (size < end) { // cut by hand from outside: what this instance indexed may be gone, so read it again
                offsets.clear();
                end = 0;
            }
            long valid = scan(end, size);
            if (valid < size) {
                channel.truncate(valid);
                recoveredBytes += size - valid;
            }
            end = valid;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the embedding cache " + directory.resolve(FILE), e);
        }
    }

    private long scan(long from, long size) throws IOException {
        long pos = from;
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
            offsets.putIfAbsent(key, pos); // two users that missed the same text at once both appended it: same vector
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
        putAll(Map.of(key, vector));
    }

    /** Appends the entries not yet in the file, all under one hold of the lock. */
    @Override
    public synchronized void putAll(Map<CacheKey, float[]> entries) {
        if (entries.isEmpty() || offsets.keySet().containsAll(entries.keySet())) {
            return;
        }
        withFileLock(() -> {
            Map<CacheKey, ByteBuffer[]> records = new LinkedHashMap<>();
            entries.forEach((key, vector) -> {
                if (!offsets.containsKey(key)) {
                    records.put(key, record(key, vector));
                }
            });
            try {
                channel.position(end);
                for (Map.Entry<CacheKey, ByteBuffer[]> r : records.entrySet()) {
                    long pos = end;
                    long total = r.getValue()[0].remaining() + r.getValue()[1].remaining();
                    long written = 0;
                    while (written < total) {
                        written += channel.write(r.getValue());
                    }
                    end = pos + total;
                    offsets.put(r.getKey(), pos);
                }
            } catch (IOException e) {
                cutBackTo(end); // a record half written (a full disk) must not stay at the end of the file
                throw writeFailure("writing", e);
            }
        });
    }

    private void cutBackTo(long pos) {
        try {
            channel.truncate(pos);
        } catch (IOException ignored) {
            // the torn tail is cut off when the cache is next opened, as after a crash
        }
    }

    /** A full disk is named as such (with the file); any other I/O error keeps its own message. */
    private RuntimeException writeFailure(String action, IOException e) {
        Path file = directory.resolve(FILE);
        if (DiskFullException.find(e).isPresent()) {
            return new DiskFullException(file, e);
        }
        return new UncheckedIOException(action + " the embedding cache " + file, e);
    }

    private static ByteBuffer[] record(CacheKey key, float[] vector) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putInt(MAGIC);
        key.write(header);
        header.putInt(vector.length);
        ByteBuffer body = ByteBuffer.allocate(4 * vector.length + 4);
        body.asFloatBuffer().put(vector);
        body.putInt(4 * vector.length, crc(header, body, vector.length));
        header.flip();
        body.position(0);
        return new ByteBuffer[] {header, body};
    }

    /** Entries this instance knows: those in the file when it opened or last wrote, and its own. */
    @Override
    public synchronized long size() {
        return offsets.size();
    }

    /** Bytes of torn records cut off the end of the file by this instance (at open, or after a writer died). */
    public synchronized long recoveredBytes() {
        return recoveredBytes;
    }

    public Path directory() {
        return directory;
    }

    /** Flushes to the storage device and closes the files; the other users of the directory carry on. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (lockChannel; channel) {
            channel.force(false);
        } catch (IOException e) {
            throw writeFailure("closing", e);
        }
    }
}
