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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent cache in one directory: an append-only file {@value #FILE} that starts with a header
 * {@code [file magic][format version]} and holds records {@code [magic][32-byte key][dimension][floats][CRC32C]},
 * and an in-memory index of key to file offset rebuilt by scanning the file when the cache opens.
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
 *
 * <p>Damage: a damaged record between good ones (a flipped byte, a zeroed block) is skipped: the scan
 * resynchronises on the next record marker whose checksum matches, so one bad byte costs one record, never the
 * records after it. The skip is logged and counted ({@link #skippedRecords()}, the {@code cache_records_skipped}
 * counter); the damaged bytes stay where they are, since other users may hold offsets past them.
 *
 * <p>Formats: version {@value #FORMAT_VERSION} has the header; a file of version 1 (records from the first byte,
 * the same records) is read and appended to as it is. A file of a newer version is left alone: this instance
 * neither reads nor appends to it, says so once, and works as if the disk tier were empty.
 */
public final class DiskEmbeddingCache implements EmbeddingCache {

    public static final String FILE = "embeddings.cache";
    private static final String LOCK = "embeddings.cache.lock";
    /** Version 1 had no file header; version 2 added it. */
    static final int FORMAT_VERSION = 2;
    static final int FILE_HEADER = 8;
    private static final int FILE_MAGIC = 0x50524346; // "PRCF"
    private static final int MAGIC = 0x50524543; // "PREC"
    private static final int SEARCH_WINDOW = 1 << 16;
    private static final Logger LOG = LoggerFactory.getLogger(DiskEmbeddingCache.class);
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
    private long skippedRecords;
    private long skippedBytes;
    private boolean newerFormat; // a file this version cannot read: left alone
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
            if (end == 0 && !startOfFile(size)) {
                return;
            }
            if (newerFormat) {
                return;
            }
            long skippedBefore = skippedRecords;
            long valid = scan(end, size);
            if (skippedRecords > skippedBefore) {
                LOG.warn("embedding cache {}: skipped {} damaged record(s) and kept every good one; the skipped texts will"
                        + " be embedded again", directory.resolve(FILE), skippedRecords - skippedBefore);
            }
            if (valid < size) {
                channel.truncate(valid);
                recoveredBytes += size - valid;
            }
            end = valid;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the embedding cache " + directory.resolve(FILE), e);
        }
    }

    /**
     * At the start of the file: writes the header of an empty file, reads the header of a full one. Returns false
     * when there is nothing to scan (an empty file, now with its header, or one of a newer format).
     */
    private boolean startOfFile(long size) throws IOException {
        if (size == 0) {
            ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).putInt(FILE_MAGIC).putInt(FORMAT_VERSION).flip();
            while (header.hasRemaining()) {
                channel.write(header, FILE_HEADER - header.remaining());
            }
            end = FILE_HEADER;
            return false;
        }
        if (size >= FILE_HEADER && readInt(0) == FILE_MAGIC) {
            int version = readInt(4);
            if (version != FORMAT_VERSION) {
                if (!newerFormat) {
                    LOG.warn("embedding cache {} has format {}, which this version (format {}) cannot read; leaving it"
                            + " alone and embedding without it", directory.resolve(FILE), version, FORMAT_VERSION);
                }
                newerFormat = true;
                return false;
            }
            end = FILE_HEADER;
        }
        return true; // format 1 (records from the first byte), or a damaged header: the scan skips what is not a record
    }

    /**
     * Indexes every good record from {@code from}, skipping damaged stretches between good records; returns the end
     * of the last good record. A stretch counts as one skipped record per record marker in it (at least one).
     */
    private long scan(long from, long size) throws IOException {
        long pos = from;
        long goodEnd = from;
        long markersInDamage = 0;
        while (pos < size) {
            long length = indexRecordAt(pos, size);
            if (length > 0) {
                if (pos > goodEnd) {
                    skippedRecords += Math.max(1, markersInDamage);
                    skippedBytes += pos - goodEnd;
                }
                markersInDamage = 0;
                pos += length;
                goodEnd = pos;
            } else {
                if (length == 0) {
                    markersInDamage++;
                }
                pos = nextMarker(pos + 1, size);
            }
        }
        return goodEnd;
    }

    /**
     * Indexes the record at {@code pos} when it is whole and its checksum matches. Returns its length; 0 when a
     * record marker is there but the record is damaged or cut short; -1 when no record starts there.
     */
    private long indexRecordAt(long pos, long size) throws IOException {
        if (pos + HEADER > size) {
            return pos + 4 <= size && readInt(pos) == MAGIC ? 0 : -1;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(header, pos);
        header.flip();
        if (header.getInt() != MAGIC) {
            return -1;
        }
        CacheKey key = CacheKey.read(header);
        int dim = header.getInt();
        long recordEnd = pos + HEADER + 4L * dim + 4;
        if (dim < 1 || dim > MAX_DIMENSION || recordEnd > size) {
            return 0;
        }
        ByteBuffer body = ByteBuffer.allocate(4 * dim + 4);
        readFully(body, pos + HEADER);
        body.flip();
        if (crc(header, body, dim) != body.getInt(4 * dim)) {
            return 0;
        }
        offsets.putIfAbsent(key, pos); // two users that missed the same text at once both appended it: same vector
        return recordEnd - pos;
    }

    /** The position of the next record marker at or after {@code from}, or {@code size} when there is none. */
    private long nextMarker(long from, long size) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(SEARCH_WINDOW);
        for (long at = from; at + 4 <= size; at += SEARCH_WINDOW - 3) {
            window.clear();
            window.limit((int) Math.min(SEARCH_WINDOW, size - at));
            readFully(window, at);
            for (int i = 0; i + 4 <= window.limit(); i++) {
                if (window.getInt(i) == MAGIC) {
                    return at + i;
                }
            }
        }
        return size;
    }

    private int readInt(long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        readFully(b, pos);
        return b.getInt(0);
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
        if (entries.isEmpty() || newerFormat || offsets.keySet().containsAll(entries.keySet())) {
            return;
        }
        withFileLock(() -> {
            if (newerFormat) {
                return;
            }
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

    /** Damaged records this instance skipped while reading the file (their texts are embedded again on demand). */
    public synchronized long skippedRecords() {
        return skippedRecords;
    }

    /** Bytes of the damaged records this instance skipped. */
    public synchronized long skippedBytes() {
        return skippedBytes;
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
