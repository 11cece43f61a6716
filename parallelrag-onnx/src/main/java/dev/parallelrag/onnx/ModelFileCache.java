package dev.parallelrag.onnx;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of model files ready for ONNX Runtime: a model with its graph already fused
 * ({@link dev.parallelrag.onnx.graph.GraphFusions}), or a bundled model copied out of its jar. A load that finds
 * its entry skips reading the model out of the jar (about 1.1 s for the 90 MB default on the 2-core target),
 * parsing and fusing it (about 0.7 s) and writing a temporary copy for ONNX Runtime.
 *
 * <p>Layout of the directory:
 * <ul>
 *   <li>{@code <key>-<size>-<crc32c>.onnx}: one entry. The key is a SHA-256 of the source model's content and
 *       of the variant (the fusion version, or "exported"), so a changed model or a changed fusion never finds
 *       an old entry. ONNX Runtime's version and the session options are not part of it: an entry is an ONNX
 *       file as portable as the model itself, which every session re-optimises (ONNX Runtime's own saved,
 *       optimised models loaded no faster: docs/BENCHMARKS.md, "Start-up").</li>
 *   <li>{@code sources/<sha256 of a stamp>}: the content SHA-256 of a source model, found by its
 *       {@link ModelSource#stamp() stamp} (path, size, time), so that a load need not read and hash the whole
 *       model to learn which entry is its own.</li>
 * </ul>
 *
 * <p>An entry is one file that carries its own checksum in its name. It is written to a temporary file and
 * renamed into place in one atomic step, so no process ever sees half an entry, two processes that build the
 * same entry at once write the same name with the same bytes, and no lock is needed. A reader checks size and
 * CRC32C before every use; an entry that does not match (a torn write after a crash, a flipped bit, an edit) is
 * deleted and rebuilt, never loaded. CRC32C rather than SHA-256: it runs at memory speed (tens of ms for 90 MB,
 * where SHA-256 took ~300 ms, a fifth of the start-up target) and catches every accidental corruption; it is no
 * defence against a deliberate forgery, but whoever can write a user's cache can write their jars too.
 */
final class ModelFileCache {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFileCache.class);

    static final String SOURCES = "sources";
    private static final String FORMAT = "parallelrag-onnx model cache 1";
    private static final Pattern ENTRY = Pattern.compile("([0-9a-f]{64})-([0-9]+)-([0-9a-f]{8})\\.onnx");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** Temporary files older than this are left by a writer that died; younger ones may still be written. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    private final Path dir;

    private ModelFileCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache in {@code dir}, created if missing. Empty, with one debug line, when it neither exists nor can
     * be created: loads then go the uncached way. A directory that exists but cannot be written still serves
     * the entries it has (a cache baked into a read-only image); writes to it fail and are skipped.
     */
    static Optional<ModelFileCache> open(Path dir) {
        try {
            Files.createDirectories(dir.resolve(SOURCES));
        } catch (IOException | SecurityException e) {
            if (!Files.isDirectory(dir)) {
                LOG.debug("model cache {} cannot be created ({}); loading the model without it", dir, e.toString());
                return Optional.empty();
            }
        }
        return Optional.of(new ModelFileCache(dir));
    }

    Path directory() {
        return dir;
    }

    /** The key of an entry: the source model's content SHA-256 (hex) and what was done to it. */
    static String key(String contentSha256, String variant) {
        return HexFormat.of().formatHex(sha256().digest((FORMAT + "\n" + contentSha256 + "\n" + variant).getBytes(StandardCharsets.UTF_8)));
    }

    /** The content SHA-256 remembered for this source's stamp, if any. */
    Optional<String> contentHash(ModelSource source) {
        Optional<Path> memo = memo(source);
        if (memo.isEmpty()) {
            return Optional.empty();
        }
        try {
            String hash = Files.readString(memo.get(), StandardCharsets.US_ASCII).trim();
            return SHA256_HEX.matcher(hash).matches() ? Optional.of(hash) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.debug("model cache: cannot read {} ({})", memo.get(), e.toString());
            return Optional.empty();
        }
    }

    /** Remembers the content SHA-256 of this source under its stamp; best effort (a failure only costs a re-hash). */
    private void rememberContentHash(ModelSource source, String contentSha256) {
        Optional<Path> memo = memo(source);
        if (memo.isEmpty()) {
            return;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(memo.get().getParent(), "memo-", ".tmp");
            Files.writeString(tmp, contentSha256 + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, memo.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.debug("model cache: cannot write {} ({})", memo.get(), e.toString());
        } finally {
            deleteQuietly(tmp);
        }
    }

    private Optional<Path> memo(ModelSource source) {
        return source.stamp().map(stamp -> dir.resolve(SOURCES)
                .resolve(HexFormat.of().formatHex(sha256().digest(stamp.getBytes(StandardCharsets.UTF_8)))));
    }

    /** What a lookup found: a verified entry, and whether entries under the key failed verification (and were deleted). */
    record Lookup(Optional<Path> entry, boolean corrupt) {
    }

    /** The entry of this key, verified by size and CRC32C; entries that fail are deleted. */
    Lookup find(String key) {
        boolean corrupt = false;
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(dir, key + "-*.onnx")) {
            for (Path candidate : candidates) {
                Matcher m = ENTRY.matcher(candidate.getFileName().toString());
                if (m.matches() && verifies(candidate, Long.parseLong(m.group(2)), Integer.parseUnsignedInt(m.group(3), 16))) {
                    return new Lookup(Optional.of(candidate), corrupt);
                }
                LOG.debug("model cache: {} does not match its checksum; rebuilding it", candidate);
                corrupt = true;
                evict(candidate);
            }
        } catch (IOException e) {
            LOG.debug("model cache: cannot list {} ({})", dir, e.toString());
        }
        return new Lookup(Optional.empty(), corrupt);
    }

    private static boolean verifies(Path file, long size, int crc) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != size) {
                return false;
            }
            CRC32C sum = new CRC32C();
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                sum.update(buffer);
                buffer.clear();
            }
            return (int) sum.getValue() == crc;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the model bytes. */
    @FunctionalInterface
    interface ModelWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Stores the entry of a source model: the writer's bytes go to a temporary file, which is then renamed to
     * its entry name in one atomic step, and the source's content hash is remembered under its stamp. The
     * content hash is asked for after writing, so a writer may hash the source as it copies it.
     *
     * @return the entry, ready to load
     * @throws IOException if the directory cannot be written (the caller loads without the cache)
     */
    Path store(ModelSource source, String variant, ModelWriter writer, Supplier<String> contentSha256) throws IOException {
        removeAbandonedTemporaryFiles();
        Path tmp = Files.createTempFile(dir, "entry-", ".tmp");
        try {
            CRC32C crc = new CRC32C();
            try (OutputStream out = new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), crc)) {
                writer.writeTo(out);
            }
            long size = Files.size(tmp);
            String content = contentSha256.get();
            Path entry = dir.resolve(key(content, variant) + "-" + size + "-" + String.format("%08x", (int) crc.getValue()) + ".onnx");
            Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            rememberContentHash(source, content);
            return entry;
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Deletes an entry that cannot be used. */
    void evict(Path entry) {
        deleteQuietly(entry);
    }

    private void removeAbandonedTemporaryFiles() {
        FileTime before = FileTime.from(Instant.now().minus(ABANDONED));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "entry-*.tmp")) {
            for (Path leftover : leftovers) {
                if (Files.getLastModifiedTime(leftover).compareTo(before) < 0) {
                    deleteQuietly(leftover);
                }
            }
        } catch (IOException e) {
            LOG.debug("model cache: cannot list {} ({})", dir, e.toString());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("model cache: cannot delete {} ({})", file, e.toString());
            }
        }
    }
}
