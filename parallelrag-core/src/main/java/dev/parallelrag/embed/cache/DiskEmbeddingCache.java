package dev.parallelrag.embed.cache;

import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent cache in one directory (for example next to the index): an append-only file {@value #FILE}
 * that starts with a header {@code [file magic][format version]} and holds records
 * {@code [magic][32-byte key][dimension][floats][CRC32C]}, and an in-memory index of key to file offset rebuilt
 * by scanning the file when the cache opens.
 *
 * <p>Damage: each record carries its own marker and checksum, so opening the cache skips a damaged record and
 * resynchronises on the next marker whose record checks out: one bad byte costs one record, never the records
 * after it. A crash can at worst leave a partial record at the end, which is cut off. When records were skipped
 * (or the file has the format of an older version), the good records are copied to a new file that replaces the
 * old one atomically, and the skip is logged and counted ({@link #skippedRecords()}, the {@code
 * cache_records_skipped} counter). A file of a newer format is discarded with a warning: it is only a cache.
 *
 * <p>One process at a time: a lock file makes a second opener fail with a clear error instead of interleaving
 * writes. Every vector served was written whole.
 */
public final class DiskEmbeddingCache implements EmbeddingCache {

    public static final String FILE = "embeddings.cache";
    /** Version 1 had no file header; version 2 added it. */
    static final int FORMAT_VERSION = 2;
    private static final Logger LOG = LoggerFactory.getLogger(DiskEmbeddingCache.class);
    private static final String LOCK = "embeddings.cache.lock";
    private static final String REWRITE = "embeddings.cache.tmp";
    private static final int FILE_MAGIC = 0x50524346; // "PRCF"
    static final int FILE_HEADER = 8;
    private static final int MAGIC = 0x50524543; // "PREC"
    private static final int HEADER = 4 + CacheKey.BYTES + 4;
    private static final int MAX_DIMENSION = 1 << 16;
    private static final int SEARCH_WINDOW = 1 << 16;

    private final Path directory;
    private FileChannel channel;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<CacheKey, Long> offsets = new HashMap<>();
    private long end;
    private long recoveredBytes;
    private long skippedRecords;
    private long skippedBytes;

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
        this.channel = openFile();
        load();
    }

    private FileChannel openFile() throws IOException {
        return FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Reads the header and indexes the records, repairing the file when it must. */
    private void load() throws IOException {
        long size = channel.size();
        int first = size >= 4 ? readInt(0) : 0;
        boolean rewrite;
        long start;
        if (size == 0) {
            writeHeader(channel);
            end = FILE_HEADER;
            return;
        } else if (first == FILE_MAGIC && size >= FILE_HEADER) {
            int version = readInt(4);
            if (version != FORMAT_VERSION) {
                LOG.warn("embedding cache {} has format {}, not {} (another version of ParallelRAG wrote it); starting it"
                        + " empty, the vectors will be computed again", directory.resolve(FILE), version, FORMAT_VERSION);
                channel.truncate(0);
                writeHeader(channel);
                end = FILE_HEADER;
                return;
            }
            start = FILE_HEADER;
            rewrite = false;
        } else {
            start = 0; // format 1 (records from the first byte), or a damaged header
            rewrite = true;
        }
        long goodEnd = scan(start, size);
        if (skippedRecords > 0) {
            LOG.warn("embedding cache {}: skipped {} damaged record(s) ({} bytes) and kept the {} good ones;"
                    + " the skipped texts will be embedded again", directory.resolve(FILE), skippedRecords, skippedBytes,
                    offsets.size());
        }
        if (rewrite || skippedRecords > 0) {
            recoveredBytes = size - goodEnd;
            rewriteGoodRecords();
        } else {
            end = goodEnd;
            recoveredBytes = size - end;
            if (end < size) {
                channel.truncate(end);
            }
        }
        channel.position(end);
    }

    /**
     * Indexes every good record from {@code start}, skipping damaged stretches; returns the end of the last good
     * record. A stretch between two good records counts as one skipped record per record marker in it (at least one).
     */
    private long scan(long start, long size) throws IOException {
        long pos = start;
        long goodEnd = start;
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
        offsets.put(key, pos);
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

    /**
     * Copies the good records, in file order, to a new file with the current header and moves it over the old one
     * (atomically: a crash leaves the old file or the new one).
     */
    private void rewriteGoodRecords() throws IOException {
        Path tmp = directory.resolve(REWRITE);
        Map<CacheKey, Long> moved = new HashMap<>();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeHeader(out);
            long pos = FILE_HEADER;
            List<Map.Entry<CacheKey, Long>> records = new ArrayList<>(offsets.entrySet());
            records.sort(Map.Entry.comparingByValue());
            for (Map.Entry<CacheKey, Long> r : records) {
                long length = HEADER + 4L * readInt(r.getValue() + 4 + CacheKey.BYTES) + 4;
                for (long copied = 0; copied < length; ) {
                    copied += channel.transferTo(r.getValue() + copied, length - copied, out);
                }
                moved.put(r.getKey(), pos);
                pos += length;
            }
            out.force(true);
            end = pos;
        }
        channel.close();
        Files.move(tmp, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = openFile();
        offsets.clear();
        offsets.putAll(moved);
    }

    /** Writes the file header at the start and leaves the channel positioned after it. */
    private static void writeHeader(FileChannel out) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).putInt(FILE_MAGIC).putInt(FORMAT_VERSION).flip();
        while (header.hasRemaining()) {
            out.write(header, FILE_HEADER - header.remaining());
        }
        out.position(FILE_HEADER);
    }

    private int readInt(long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        readFully(b, pos);
        return b.getInt(0);
    }

    /** Opens (or creates) the cache in the directory, recovering from a crash or damage if needed. */
    public static DiskEmbeddingCache open(Path directory) {
        try {
            Files.createDirectories(directory);
            return new DiskEmbeddingCache(directory);
        } catch (IOException e) {
            throw new ValidationException("cacheDirectory", directory, "cannot be used as an embedding cache: " + e.getMessage());
        }
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
            try {
                long pos = end;
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
                throw new UncheckedIOException("writing the embedding cache " + directory.resolve(FILE), e);
            }
        }
    }

    @Override
    public synchronized long size() {
        return offsets.size();
    }

    /** Bytes of a torn record found at the end of the file when it was opened (and cut off). */
    public long recoveredBytes() {
        return recoveredBytes;
    }

    /** Damaged records skipped when the cache was opened (their texts are embedded again on demand). */
    public long skippedRecords() {
        return skippedRecords;
    }

    /** Bytes of the damaged records skipped when the cache was opened. */
    public long skippedBytes() {
        return skippedBytes;
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
            throw new UncheckedIOException("closing the embedding cache " + directory.resolve(FILE), e);
        }
    }
}
