package dev.parallelrag.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's native libraries, copied out of the jar once into the model cache directory, where ONNX
 * Runtime would otherwise copy them into a new temporary directory in every process (22 MB on Linux x64,
 * about 0.2 s of every start on the 2-core target). Before ONNX Runtime's first use, {@link #prepare} points
 * ONNX Runtime's {@value #NATIVE_PATH} property at the copy, unless the application set that property itself.
 *
 * <p>The copy lives in a directory named by a SHA-256 of the libraries' jar entries (names, sizes, CRC-32s as
 * the jar records them), so another ONNX Runtime version gets its own. It is written as a temporary directory
 * and renamed into place in one step; before each use the files' sizes and CRC-32s are checked against the
 * jar's, so a truncated or damaged library (which would crash the process when loaded) is never loaded: the
 * directory is rebuilt. Anything unusual (libraries not in a plain jar, a platform without them, a directory
 * that cannot be written) leaves ONNX Runtime to load them its own way.
 *
 * <p>ONNX Runtime's loader also makes a directory {@code onnxruntime-java*} in {@code java.io.tmpdir} in every
 * process, even when it loads from {@value #NATIVE_PATH}, and only marks it for deletion at a normal JVM exit:
 * every killed or crashed process left one (holding 22 MB of libraries when it copied them there itself).
 * {@link #removeLoaderTemporaryDirectory()} deletes it as soon as the libraries are loaded, so nothing is left
 * in the temporary directory from then on, whatever ends the process.
 */
final class NativeLibraryCache {

    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryCache.class);

    /** The system property ONNX Runtime reads for a directory holding its native libraries. */
    static final String NATIVE_PATH = "onnxruntime.native.path";
    static final String SUBDIRECTORY = "onnxruntime";
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    private static boolean loaderDirectoryHandled; // guarded by the class

    private NativeLibraryCache() {
    }

    /** Points ONNX Runtime at its libraries in {@code cacheDirectory}, copying them there first if needed. */
    static synchronized void prepare(Path cacheDirectory) {
        if (System.getProperty(NATIVE_PATH) != null) {
            return; // the application's choice, or already done
        }
        extract(cacheDirectory).ifPresent(dir -> System.setProperty(NATIVE_PATH, dir.toString()));
    }

    /**
     * Deletes the directory ONNX Runtime's loader made in {@code java.io.tmpdir}, once per process, after
     * {@code OrtEnvironment} loaded the libraries. Nothing reads it later: the libraries it may hold are mapped
     * already (Linux and macOS let a mapped file be unlinked; on Windows the delete fails and ONNX Runtime's own
     * delete-on-exit stays). The loader keeps the directory in a private field, read here by reflection; if a
     * later ONNX Runtime renames it, this does nothing and says so at debug level.
     */
    static synchronized void removeLoaderTemporaryDirectory() {
        if (loaderDirectoryHandled) {
            return;
        }
        loaderDirectoryHandled = true;
        try {
            Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
            field.setAccessible(true);
            if (field.get(null) instanceof Path dir && Files.isDirectory(dir)) {
                deleteTree(dir);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot find ONNX Runtime's temporary directory ({}); it is deleted at a normal exit only", e.toString());
        }
    }

    /** The directory holding verified copies of the libraries of this platform, or empty when there is none. */
    static Optional<Path> extract(Path cacheDirectory) {
        Optional<List<Library>> libraries = bundled();
        if (libraries.isEmpty()) {
            return Optional.empty();
        }
        Path root = cacheDirectory.resolve(SUBDIRECTORY);
        Path dir = root.resolve(key(libraries.get()));
        if (Files.isDirectory(dir)) {
            if (verifies(dir, libraries.get())) {
                return Optional.of(dir);
            }
            LOG.debug("ONNX Runtime libraries in {} do not match the jar's; copying them again", dir);
            deleteTree(dir);
        }
        Path tmp = null;
        try {
            Files.createDirectories(root);
            tmp = Files.createTempDirectory(root, "libraries-");
            for (Library library : libraries.get()) {
                try (InputStream in = library.url().openStream()) {
                    Files.copy(in, tmp.resolve(library.fileName()));
                }
            }
            if (!verifies(tmp, libraries.get())) {
                throw new IOException("the copied libraries do not match the jar's checksums");
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process was quicker: use its copy if it is whole
                return verifies(dir, libraries.get()) ? Optional.of(dir) : Optional.empty();
            }
            return Optional.of(dir);
        } catch (IOException | RuntimeException e) {
            LOG.debug("ONNX Runtime libraries cannot be kept in {} ({}); ONNX Runtime copies them itself", root, e.toString());
            return Optional.empty();
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** One native library in the jar, with the size and CRC-32 the jar records for it. */
    record Library(String fileName, URL url, long size, long crc) {
    }

    /** The libraries of this platform with their jar records; empty when they are not entries of a jar. */
    static Optional<List<Library>> bundled() {
        Optional<String> platform = platform();
        if (platform.isEmpty()) {
            return Optional.empty();
        }
        List<Library> libraries = new ArrayList<>();
        for (String name : LIBRARIES) {
            String fileName = System.mapLibraryName(name);
            URL url = OrtEnvironment.class.getResource("/ai/onnxruntime/native/" + platform.get() + "/" + fileName);
            if (url == null) {
                return Optional.empty();
            }
            try {
                URLConnection connection = url.openConnection();
                if (!(connection instanceof JarURLConnection jar)) {
                    return Optional.empty();
                }
                JarEntry entry = jar.getJarEntry();
                if (entry.getSize() < 0 || entry.getCrc() < 0) {
                    return Optional.empty();
                }
                libraries.add(new Library(fileName, url, entry.getSize(), entry.getCrc()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(libraries);
    }

    /** ONNX Runtime's name for this operating system and CPU, as its own loader spells it. */
    static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.startsWith("darwin") ? "osx"
                : os.startsWith("windows") ? "win" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        return o == null || a == null ? Optional.empty() : Optional.of(o + "-" + a);
    }

    private static String key(List<Library> libraries) {
        MessageDigest sha = ModelFileCache.sha256();
        for (Library library : libraries) {
            sha.update((library.fileName() + " " + library.size() + " " + library.crc() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    private static boolean verifies(Path dir, List<Library> libraries) {
        for (Library library : libraries) {
            Path file = dir.resolve(library.fileName());
            try (CheckedInputStream in = new CheckedInputStream(Files.newInputStream(file), new CRC32())) {
                if (Files.size(file) != library.size()) {
                    return false;
                }
                in.transferTo(OutputStream.nullOutputStream());
                if (in.getChecksum().getValue() != library.crc()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("cannot delete {} ({})", dir, e.toString());
        }
    }
}
